package io.vivace.traceql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.plan.AutocompleteFilter;
import io.vivace.traceql.plan.Condition;
import io.vivace.traceql.plan.ConditionSet;
import io.vivace.traceql.plan.Conditions;
import org.junit.jupiter.api.Test;

/** The entry points other modules use: errors with positions, classification, helpers. */
class FrontEndApiTest {

    @Test
    void syntaxErrorCarriesLineColumnAndToken() {
        assertThat(TraceQLParser.parse("{ span.http.method = \"GET\" }")).isNotNull();
        TraceQLParseException e = (TraceQLParseException) catchThrowable("{ resource.service.name = }");
        assertThat(e.getMessage()).isEqualTo("parse error at line 1, col 27: unexpected token '}', expected one of a value, "
                + "an attribute or intrinsic, '(' or an operator");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(27);
        assertThat(e.offendingToken()).isEqualTo("}");
        assertThat(e.category().httpStatus()).isEqualTo(400);
    }

    @Test
    void errorOnALaterLineIsPositionedThere() {
        TraceQLParseException e = (TraceQLParseException) catchThrowable("{ .a = 1 }\n| count() >\n  foo");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(3);
    }

    @Test
    void validationErrorNamesExpressionAndPosition() {
        assertThatThrownBy(() -> TraceQL.compile("{ .a = 1 && status = 2 }"))
                .isInstanceOf(TraceQLValidationException.class)
                .hasMessage("binary operations must operate on the same type: status = 2 (at line 1, col 20)")
                .satisfies(t -> assertThat(((TraceQLValidationException) t).position())
                        .contains(new SourcePosition(1, 20)));
    }

    @Test
    void classifiesMetricsQueries() {
        assertThat(TraceQL.isMetricsQuery(TraceQL.compile("{ } | rate()"))).isTrue();
        assertThat(TraceQL.isMetricsQuery(TraceQL.compile("({ } | rate()) / ({ } | count_over_time())"))).isTrue();
        assertThat(TraceQL.isMetricsQuery(TraceQL.compile("{ } | count() > 1"))).isFalse();
    }

    @Test
    void spanFilterForTraceByIdAcceptsOnlyOneSpanLevelFilter() {
        SpansetFilter f = TraceQL.compileSpanFilter("{ span.http.method = \"GET\" }");
        assertThat(f.toString()).isEqualTo("{ span.http.method = \"GET\" }");
        assertThatThrownBy(() -> TraceQL.compileSpanFilter("{ .a } | count() > 1")).isInstanceOf(TraceQLParseException.class);
        assertThatThrownBy(() -> TraceQL.compileSpanFilter("{ .a } >> { .b }")).isInstanceOf(TraceQLParseException.class);
        assertThatThrownBy(() -> TraceQL.compileSpanFilter("{ trace:duration > 1s }"))
                .hasMessageContaining("trace-level intrinsics");
        assertThatThrownBy(() -> TraceQL.compileSpanFilter("{ status = 1 }")).isInstanceOf(TraceQLValidationException.class);
    }

    @Test
    void parsesTagNames() {
        assertThat(TraceQLParser.parseFieldReference("resource.service.name")).isEqualTo(Attribute.resource("service.name"));
        assertThat(TraceQLParser.parseFieldReference(".service.name")).isEqualTo(Attribute.unscoped("service.name"));
        assertThat(TraceQLParser.parseFieldReference("span.a/b")).isEqualTo(Attribute.span("a/b"));
        assertThat(TraceQLParser.parseFieldReference("trace:rootService")).isEqualTo(new IntrinsicField(Intrinsic.TRACE_ROOT_SERVICE));
        assertThat(TraceQLParser.parseFieldReference("span:name")).isEqualTo(TraceQLParser.parseFieldReference("name"));
        assertThatThrownBy(() -> TraceQLParser.parseFieldReference("service.name")).isInstanceOf(TraceQLParseException.class);
    }

    @Test
    void attributeNamesFollowTheLexerMode() {
        Query q = TraceQLParser.parse("{ span.foo.\"bar baz\".qux = 1 && parent.resource.x != nil || .a }");
        assertThat(q.toString()).contains("span.\"foo.bar baz.qux\" = 1");
        assertThatThrownBy(() -> TraceQL.compile("{ parent.resource.x != nil }")).hasMessageContaining("parent not yet supported");
        assertThat(TraceQLParser.parseFieldReference("parent.span.x")).isEqualTo(new Attribute(AttributeScope.SPAN, "x", true));
        assertThat(TraceQLParser.parseFieldReference("span.a+1")).isEqualTo(Attribute.span("a+1"));
    }

    @Test
    void decodesLiterals() {
        assertThat(filterValue("1h2m3s")).isEqualTo(new Static.Duration(3_723_000_000_000L));
        assertThat(filterValue("1.5s")).isEqualTo(new Static.Duration(1_500_000_000L));
        assertThat(filterValue("1d")).isEqualTo(new Static.Duration(86_400_000_000_000L));
        assertThat(filterValue("1y")).isEqualTo(new Static.Duration(365L * 86_400_000_000_000L));
        assertThat(filterValue("5\u00b5s")).isEqualTo(new Static.Duration(5_000L));
        assertThat(filterValue("1s500ms")).isEqualTo(new Static.Duration(1_500_000_000L));
        assertThat(filterValue("\"\\x41\\u00e9\\n\"")).isEqualTo(new Static.Str("A\u00e9\n"));
        assertThat(filterValue("`a\\d`")).isEqualTo(new Static.Str("a\\d"));
        assertThat(filterValue("007")).isEqualTo(new Static.Int(7));
        assertThat(filterValue("minInt")).isEqualTo(new Static.Int(Long.MIN_VALUE));
        assertThat(filterValue("-1s")).isEqualTo(new Static.Duration(-1_000_000_000L));
        assertThat(filterValue("1ms + 1ms")).isEqualTo(new Static.Float(2_000_000.0));
    }

    private static Static filterValue(String literal) {
        var expression = (io.vivace.traceql.ast.BinaryOperation) TraceQLParser.parseSpansetFilter("{ .x = " + literal + " }").expression();
        return (Static) expression.right();
    }

    @Test
    void hintsKeepTheLastClauseAndAreTyped() {
        Query q = TraceQL.compile("{ } with(sample=true) with(most_recent=true, exemplars=5, sample=0.5, most_recent=1)");
        assertThat(q.hints().hints()).hasSize(4);
        assertThat(q.hints().bool("most_recent")).contains(true);
        assertThat(q.hints().integer("exemplars")).contains(5L);
        assertThat(q.hints().floating("sample")).contains(0.5);
        assertThat(q.hints().bool("sample")).isEmpty();
    }

    @Test
    void extractsPushDownConditions() {
        ConditionSet all = Conditions.of(TraceQLParser.parseSpansetFilter(
                "{ resource.service.name = \"api\" && 500 <= span.http.status_code && .a != nil }"));
        assertThat(all.allConditions()).isTrue();
        assertThat(all.conditions()).containsExactly(
                new Condition(Attribute.resource("service.name"), BinaryOperator.EQ, new Static.Str("api")),
                new Condition(Attribute.span("http.status_code"), BinaryOperator.GTE, new Static.Int(500)),
                new Condition(Attribute.unscoped("a"), BinaryOperator.NEQ, Static.NIL));

        ConditionSet partial = Conditions.of(TraceQLParser.parseSpansetFilter("{ .a = 1 || .b + .c > 2 }"));
        assertThat(partial.allConditions()).isFalse();
        assertThat(partial.conditions()).containsExactly(
                new Condition(Attribute.unscoped("a"), BinaryOperator.EQ, new Static.Int(1)),
                Condition.fetch(Attribute.unscoped("b")), Condition.fetch(Attribute.unscoped("c")));

        assertThat(Conditions.of(SpansetFilter.ALL)).isEqualTo(new ConditionSet(java.util.List.of(), true));
    }

    @Test
    void autocompleteFilterToleratesIncompleteQueries() {
        assertThat(AutocompleteFilter.extract("{ resource.service.name = \"a\" || span.x = 1 }").map(Object::toString))
                .contains("{ resource.service.name = \"a\" || span.x = 1 }");
        assertThat(AutocompleteFilter.extract("{ resource.service.name = \"a\" && span.http.method = \"GET\" && resource.cluster = }")
                .map(Object::toString))
                .contains("{ resource.service.name = \"a\" && span.http.method = \"GET\" }");
        assertThat(AutocompleteFilter.extract("{ resource.cluster = }")).isEmpty();
        assertThat(AutocompleteFilter.extract("{}")).isEmpty();
        assertThat(AutocompleteFilter.extract("not traceql at all")).isEmpty();
    }

    private static Throwable catchThrowable(String query) {
        try {
            TraceQL.compile(query);
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected an error for " + query);
    }
}

package io.vivace.traceql.engine;

import static io.vivace.traceql.engine.Spans.integer;
import static io.vivace.traceql.engine.Spans.str;
import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.traceql.TraceQL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TracePredicatesTest {
    private static final EvalTrace TRACE = new Spans().span(-1, str("a", "x"), integer("n", 1)).span(0, str("a", "y"), integer("n", 2)).trace();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiterString = " => ", value = {
        "{ span.a = \"x\" } => true",
        "{ span.a = \"z\" } => false",
        "{ span.a = \"x\" && span.n = 1 } => true",
        // one span must satisfy every condition of a set
        "{ span.a = \"x\" && span.n = 2 } => false",
        // but different filters may be satisfied by different spans
        "{ span.a = \"x\" } && { span.n = 2 } => true",
        "{ span.a = \"z\" } || { span.n = 2 } => true",
        "{ span.a = \"z\" } >> { span.n = 2 } => false",
        "{ span.a = \"z\" } !>> { span.n = 2 } => true",
        // not a plain conjunction: every trace may match
        "{ span.a = \"z\" || span.n = 5 } => true",
        "{ span.missing = nil } => true",
        "{ span.a = nil } => false",
        "{ 2 > span.n } => true",
        "{ trace:id = \"000123456789abcdef0000000000000001\" } => true",
    })
    void predicateOfQuery(String query, boolean expected) {
        TracePredicate p = TracePredicate.of(TraceQL.compile(query));
        assertThat(TracePredicates.test(p, TRACE)).as("%s -> %s", query, p).isEqualTo(expected);
    }
}

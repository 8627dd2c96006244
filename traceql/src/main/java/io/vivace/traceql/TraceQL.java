package io.vivace.traceql;

import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.UnaryOperation;

/**
 * The entry points the rest of Vivace uses: compile (parse and validate) a query, classify it, and
 * check the restricted forms some APIs accept.
 */
public final class TraceQL {
    private TraceQL() {
    }

    /**
     * Parses and validates a query.
     *
     * @return the validated syntax tree
     * @throws TraceQLParseException on a syntax error
     * @throws TraceQLValidationException when the query breaks a validation rule
     */
    public static Query compile(String query) {
        ParsedQuery parsed = TraceQLParser.parseWithPositions(query);
        Validator.validate(parsed);
        return parsed.query();
    }

    /** Whether the query is a metrics query (for {@code /api/metrics/query_range}). */
    public static boolean isMetricsQuery(Query query) {
        return query.isMetrics();
    }

    /**
     * Compiles the {@code q} filter of the v2 trace-by-ID API: exactly one spanset filter, valid,
     * and without trace-level intrinsics (they say nothing about individual spans).
     *
     * @throws TraceQLException when the text is not such a filter
     */
    public static SpansetFilter compileSpanFilter(String filter) {
        SpansetFilter f = TraceQLParser.parseSpansetFilter(filter);
        Validator.validate(f);
        if (usesTraceLevelIntrinsic(f.expression())) {
            throw new TraceQLValidationException("trace-level intrinsics cannot be used in a span filter: " + f, null);
        }
        return f;
    }

    private static boolean usesTraceLevelIntrinsic(FieldExpression e) {
        return switch (e) {
            case IntrinsicField i -> i.intrinsic().level() == Intrinsic.Level.TRACE;
            case Attribute a -> false;
            case Static s -> false;
            case UnaryOperation u -> usesTraceLevelIntrinsic(u.operand());
            case BinaryOperation b -> usesTraceLevelIntrinsic(b.left()) || usesTraceLevelIntrinsic(b.right());
        };
    }
}

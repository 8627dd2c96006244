package io.vivace.traceql;

import io.vivace.traceql.ast.Aggregate;
import io.vivace.traceql.ast.AggregateFunction;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.BottomK;
import io.vivace.traceql.ast.Coalesce;
import io.vivace.traceql.ast.Compare;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.GroupBy;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.MetricsAggregate;
import io.vivace.traceql.ast.MetricsBinary;
import io.vivace.traceql.ast.MetricsConstant;
import io.vivace.traceql.ast.MetricsExpression;
import io.vivace.traceql.ast.MetricsFunction;
import io.vivace.traceql.ast.MetricsMath;
import io.vivace.traceql.ast.MetricsPipeline;
import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.PipelineStage;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.ScalarFilter;
import io.vivace.traceql.ast.SecondStage;
import io.vivace.traceql.ast.Select;
import io.vivace.traceql.ast.SeriesFilter;
import io.vivace.traceql.ast.SpansetExpression;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.SpansetOperation;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.StaticType;
import io.vivace.traceql.ast.TopK;
import io.vivace.traceql.ast.UnaryOperation;
import io.vivace.traceql.ast.UnaryOperator;
import java.util.List;
import java.util.function.Function;

/**
 * Tempo's validation rules (spec 6.2, 8, 9), run after parsing. The first violation is thrown as a
 * {@link TraceQLValidationException} naming the offending expression (and its position when the
 * tree came from {@link TraceQLParser#parseWithPositions}).
 */
public final class Validator {
    /** The most values {@code compare()} may keep per attribute. */
    public static final long MAX_COMPARE_TOP_N = 1000;

    private final Function<Object, SourcePosition> positions;

    private Validator(Function<Object, SourcePosition> positions) {
        this.positions = positions;
    }

    /**
     * Validates a tree built by code (errors carry no position).
     *
     * @throws TraceQLValidationException on the first violation
     */
    public static void validate(Query query) {
        new Validator(node -> null).query(query);
    }

    /**
     * Validates a parsed query; errors carry the position of the offending node.
     *
     * @throws TraceQLValidationException on the first violation
     */
    public static void validate(ParsedQuery parsed) {
        new Validator(node -> parsed.positionOf(node).orElse(null)).query(parsed.query());
    }

    /**
     * Validates one spanset filter on its own (e.g. the v2 trace-by-ID {@code q}).
     *
     * @throws TraceQLValidationException on the first violation
     */
    public static void validate(SpansetFilter filter) {
        new Validator(node -> null).filter(filter);
    }

    private TraceQLValidationException fail(Object node, String detail) {
        return new TraceQLValidationException(detail, positions.apply(node));
    }

    // ---- structure ---------------------------------------------------------------------------

    private void query(Query q) {
        switch (q.body()) {
            case Pipeline p -> pipeline(p);
            case MetricsPipeline m -> metricsPipeline(m);
            case MetricsMath m -> {
                metricsOperand(m.expression());
                secondStages(m.secondStages());
            }
        }
    }

    private void pipeline(Pipeline p) {
        for (PipelineStage stage : p.stages()) {
            switch (stage) {
                case SpansetExpression s -> spanset(s);
                case ScalarFilter f -> scalarFilter(f);
                case GroupBy g -> {
                    expression(g.expression());
                    if (!referencesSpan(g.expression())) {
                        throw fail(g, "by() must reference the span (an attribute or intrinsic): " + g);
                    }
                }
                case Coalesce c -> {
                    // Nothing to check.
                }
                case Select s -> s.fields().forEach(this::expression);
            }
        }
    }

    private void spanset(SpansetExpression e) {
        switch (e) {
            case SpansetFilter f -> filter(f);
            case SpansetOperation o -> {
                spanset(o.left());
                spanset(o.right());
            }
            case Pipeline p -> pipeline(p);
        }
    }

    private void filter(SpansetFilter f) {
        StaticType type = expression(f.expression());
        if (type != StaticType.BOOL && type != StaticType.ATTRIBUTE) {
            throw fail(f.expression(), "filter expressions must evaluate to a boolean: " + f);
        }
    }

    private void scalarFilter(ScalarFilter f) {
        if (!(f.left() instanceof Aggregate aggregate) || !(f.right() instanceof Static)) {
            throw fail(f, "scalar filters other than 'aggregate op constant' not yet supported: " + f);
        }
        if (aggregate.function() == AggregateFunction.COUNT) {
            return;
        }
        StaticType type = expression(aggregate.argument());
        if (!referencesSpan(aggregate.argument())) {
            throw fail(aggregate, "aggregate argument must reference the span (an attribute or intrinsic): " + aggregate);
        }
        if (type != StaticType.ATTRIBUTE && !type.isNumeric()) {
            throw fail(aggregate, "aggregate argument must be numeric: " + aggregate);
        }
    }

    // ---- field expressions: type inference with Tempo's rules -----------------------------------

    private StaticType expression(FieldExpression e) {
        return switch (e) {
            case Static s -> s.type();
            case Attribute a -> {
                if (a.parent()) {
                    throw fail(a, "parent not yet supported: " + a);
                }
                yield StaticType.ATTRIBUTE;
            }
            case IntrinsicField i -> {
                if (i.intrinsic() == Intrinsic.PARENT) {
                    throw fail(i, "intrinsic (parent) not yet supported");
                }
                yield i.intrinsic().type();
            }
            case UnaryOperation u -> {
                StaticType type = expression(u.operand());
                if (!TypeRules.allows(u.operator(), type)) {
                    throw fail(u, (u.operator() == UnaryOperator.NEGATE
                            ? "unary minus requires a number: " : "unary ! requires a boolean: ") + u);
                }
                yield type;
            }
            case BinaryOperation b -> binary(b);
        };
    }

    private StaticType binary(BinaryOperation b) {
        BinaryOperator op = b.operator();
        StaticType left = expression(b.left());
        StaticType right = expression(b.right());
        if (op.isRegex()) {
            if (!(b.right() instanceof Static.Str pattern)) {
                throw fail(b, "regex operations require a string literal on the right: " + b);
            }
            try {
                Regexes.compile(pattern.value());
            } catch (IllegalArgumentException e) {
                throw fail(b.right(), e.getMessage());
            }
        }
        if (op == BinaryOperator.EQ) {
            if (isNil(b.right()) && mustExist(b.left()) || isNil(b.left()) && mustExist(b.right())) {
                throw fail(b, "cannot compare with nil a field that always exists: " + b);
            }
        }
        if (!TypeRules.compatible(left, right)) {
            throw fail(b, "binary operations must operate on the same type: " + b);
        }
        if (!TypeRules.allows(op, left) || !TypeRules.allows(op, right)) {
            throw fail(b, "illegal operation for the given types: " + b);
        }
        return TypeRules.resultType(op, left, right);
    }

    private static boolean isNil(FieldExpression e) {
        return e instanceof Static.Nil;
    }

    /**
     * Fields Tempo refuses to compare with {@code = nil}: intrinsics (always present) and
     * {@code resource.service.name} (spec 6.2).
     */
    private static boolean mustExist(FieldExpression e) {
        return e instanceof IntrinsicField
                || e instanceof Attribute a && !a.parent() && a.scope() == AttributeScope.RESOURCE
                        && a.name().equals("service.name");
    }

    /** Whether the expression reads anything from the span (an attribute or intrinsic). */
    static boolean referencesSpan(FieldExpression e) {
        return switch (e) {
            case Static s -> false;
            case FieldReference r -> true;
            case UnaryOperation u -> referencesSpan(u.operand());
            case BinaryOperation b -> referencesSpan(b.left()) || referencesSpan(b.right());
        };
    }

    // ---- metrics -----------------------------------------------------------------------------

    private void metricsPipeline(MetricsPipeline m) {
        pipeline(m.pipeline());
        metricsFunction(m.function());
        if (m.function() instanceof Compare && !m.secondStages().isEmpty()) {
            throw fail(m.secondStages().get(0), "`compare()` cannot be used with second stage functions");
        }
        secondStages(m.secondStages());
    }

    private void metricsFunction(MetricsFunction f) {
        switch (f) {
            case MetricsAggregate a -> {
                if (a.attribute() != null) {
                    expression(a.attribute());
                }
                a.by().forEach(this::expression);
                if (a.by().size() > a.operation().maxGroupBy()) {
                    throw fail(a, "metrics group by " + a.by().size() + " values not yet supported");
                }
                for (double q : a.quantiles()) {
                    if (!(q >= 0 && q <= 1)) {
                        throw fail(a, "quantile must be between 0 and 1: " + Double.toString(q).replaceAll("\\.0$", ""));
                    }
                }
            }
            case Compare c -> {
                filter(c.selection());
                if (c.topN() < 1 || c.topN() > MAX_COMPARE_TOP_N) {
                    throw fail(c, "compare() topN: " + c.topN() + " (expected: 1 to " + MAX_COMPARE_TOP_N + ")");
                }
                boolean noWindow = c.start() == 0 && c.end() == 0;
                if (!noWindow && (c.start() <= 0 || c.end() <= c.start())) {
                    throw fail(c, "compare() start and end: " + c.start() + ", " + c.end()
                            + " (expected: both 0, or 0 < start < end)");
                }
            }
        }
    }

    private void secondStages(List<SecondStage> stages) {
        for (SecondStage s : stages) {
            switch (s) {
                case TopK t -> limit(t, t.limit());
                case BottomK b -> limit(b, b.limit());
                case SeriesFilter f -> {
                    // The parser only builds numeric thresholds.
                }
            }
        }
    }

    private void limit(SecondStage stage, long k) {
        if (k <= 0) {
            throw fail(stage, "limit must be greater than 0: " + stage);
        }
    }

    private void metricsOperand(MetricsExpression e) {
        switch (e) {
            case MetricsConstant c -> {
                // Folded by the parser.
            }
            case MetricsBinary b -> {
                metricsOperand(b.left());
                metricsOperand(b.right());
            }
            case MetricsPipeline m -> {
                if (m.function() instanceof Compare) {
                    throw fail(m, "`compare()` cannot be used in metrics arithmetic");
                }
                metricsPipeline(m);
            }
        }
    }
}

package io.vivace.traceql;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.vivace.traceql.ast.Hint;
import io.vivace.traceql.ast.Hints;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.MetricsAggregate;
import io.vivace.traceql.ast.MetricsBinary;
import io.vivace.traceql.ast.MetricsConstant;
import io.vivace.traceql.ast.MetricsExpression;
import io.vivace.traceql.ast.MetricsFunction;
import io.vivace.traceql.ast.MetricsMath;
import io.vivace.traceql.ast.MetricsOperation;
import io.vivace.traceql.ast.MetricsPipeline;
import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.PipelineStage;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.QueryBody;
import io.vivace.traceql.ast.ScalarFilter;
import io.vivace.traceql.ast.SecondStage;
import io.vivace.traceql.ast.Select;
import io.vivace.traceql.ast.SeriesFilter;
import io.vivace.traceql.ast.SpanKind;
import io.vivace.traceql.ast.SpanStatus;
import io.vivace.traceql.ast.SpansetExpression;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.SpansetOperation;
import io.vivace.traceql.ast.SpansetOperator;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.StaticType;
import io.vivace.traceql.ast.TopK;
import io.vivace.traceql.ast.TraceQLPrinter;
import io.vivace.traceql.ast.UnaryOperation;
import io.vivace.traceql.ast.UnaryOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property test: seeded random, well-typed syntax trees print to TraceQL that parses back to an
 * equal tree (in both printing styles) and validates. Trees never contain literal-only operations,
 * which the parser would fold.
 */
class RandomRoundTripTest {
    private static final int CASES = 4000;

    private final Random random = new Random(20260806L);

    @Test
    void randomQueriesRoundTrip() {
        for (int i = 0; i < CASES; i++) {
            Query query = new Query(body(), hints());
            String canonical = TraceQLPrinter.print(query);
            String full = TraceQLPrinter.printFullyParenthesized(query);

            assertThat(TraceQLParser.parse(canonical)).as("case %d: %s", i, canonical).isEqualTo(query);
            assertThat(TraceQLParser.parse(full)).as("case %d: %s", i, full).isEqualTo(query);
            Validator.validate(query);
        }
    }

    @Test
    void randomFieldExpressionsRoundTripInsideFilters() {
        for (int i = 0; i < CASES; i++) {
            SpansetFilter filter = new SpansetFilter(bool(4));
            String text = filter.toString();

            assertThat(TraceQLParser.parseSpansetFilter(text)).as("case %d: %s", i, text).isEqualTo(filter);
            Validator.validate(filter);
        }
    }

    // ---- queries -------------------------------------------------------------------------------

    private QueryBody body() {
        return switch (random.nextInt(6)) {
            case 0, 1, 2 -> searchPipeline();
            case 3, 4 -> metricsPipeline(true);
            default -> new MetricsMath(metricsBinary(3), secondStages());
        };
    }

    private Pipeline searchPipeline() {
        if (random.nextInt(8) == 0) {
            // A chain led by a wrapped pipeline: only legal as the whole pipeline.
            return Pipeline.of(wrappedChain(2));
        }
        return pipeline(3);
    }

    private Pipeline pipeline(int maxStages) {
        List<PipelineStage> stages = new ArrayList<>();
        int n = 1 + random.nextInt(maxStages);
        for (int i = 0; i < n; i++) {
            stages.add(switch (random.nextInt(i == 0 ? 7 : 8)) {
                case 0, 1, 2, 3 -> spanset(2);
                case 4 -> scalarFilter();
                case 5 -> new GroupBy(random.nextBoolean() ? reference() : nonLiteral(2));
                case 6 -> new Select(references(1 + random.nextInt(3)));
                default -> new Coalesce();
            });
        }
        return new Pipeline(stages);
    }

    private SpansetExpression spanset(int depth) {
        if (depth == 0 || random.nextInt(3) == 0) {
            return filter();
        }
        SpansetOperator[] ops = SpansetOperator.values();
        return new SpansetOperation(ops[random.nextInt(ops.length)], spanset(depth - 1), spanset(depth - 1));
    }

    private SpansetExpression wrappedChain(int depth) {
        SpansetExpression left = depth == 0 ? wrappedPipeline() : wrappedChain(depth - 1);
        SpansetExpression right = random.nextBoolean() ? spanset(1) : wrappedPipeline();
        SpansetOperator[] ops = SpansetOperator.values();
        return new SpansetOperation(ops[random.nextInt(ops.length)], left, right);
    }

    /** A parenthesised pipeline that stays a pipeline: two stages, or one non-spanset stage. */
    private Pipeline wrappedPipeline() {
        if (random.nextBoolean()) {
            return Pipeline.of(scalarFilter());
        }
        Pipeline p = pipeline(3);
        return p.stages().size() > 1 ? p : Pipeline.of(p.stages().get(0), spanset(1));
    }

    private SpansetFilter filter() {
        return random.nextInt(6) == 0 ? SpansetFilter.ALL : new SpansetFilter(bool(3));
    }

    private ScalarFilter scalarFilter() {
        AggregateFunction[] fns = AggregateFunction.values();
        AggregateFunction fn = fns[random.nextInt(fns.length)];
        Aggregate aggregate = fn == AggregateFunction.COUNT ? Aggregate.count() : new Aggregate(fn, nonLiteral(2));
        return new ScalarFilter(comparisonOperator(), aggregate, numberLiteral(true));
    }

    private MetricsPipeline metricsPipeline(boolean allowCompare) {
        MetricsFunction fn;
        List<SecondStage> stages;
        if (allowCompare && random.nextInt(6) == 0) {
            boolean window = random.nextBoolean();
            long start = 1 + random.nextInt(1_000_000);
            fn = new Compare(filter(), 1 + random.nextInt(1000), window ? start : 0, window ? start + 1 + random.nextInt(1000) : 0);
            stages = List.of();
        } else {
            MetricsOperation[] ops = MetricsOperation.values();
            MetricsOperation op = ops[random.nextInt(ops.length)];
            List<Double> quantiles = new ArrayList<>();
            if (op == MetricsOperation.QUANTILE_OVER_TIME) {
                for (int i = 0; i <= random.nextInt(3); i++) {
                    quantiles.add(random.nextInt(4) == 0 ? (double) random.nextInt(2) : random.nextDouble());
                }
            }
            fn = new MetricsAggregate(op, op.takesAttribute() ? reference() : null, quantiles,
                    references(random.nextInt(op.maxGroupBy() + 1)));
            stages = secondStages();
        }
        return new MetricsPipeline(pipeline(2), fn, stages);
    }

    private List<SecondStage> secondStages() {
        List<SecondStage> stages = new ArrayList<>();
        for (int i = 0; i < random.nextInt(3); i++) {
            stages.add(switch (random.nextInt(3)) {
                case 0 -> new TopK(1 + random.nextInt(100));
                case 1 -> new BottomK(1 + random.nextInt(100));
                default -> new SeriesFilter(comparisonOperator(), numberLiteral(true));
            });
        }
        return stages;
    }

    private MetricsBinary metricsBinary(int depth) {
        BinaryOperator[] ops = {BinaryOperator.ADD, BinaryOperator.SUB, BinaryOperator.MUL, BinaryOperator.DIV};
        MetricsExpression metrics = depth > 1 && random.nextBoolean() ? metricsBinary(depth - 1) : metricsPipeline(false);
        MetricsExpression other = switch (random.nextInt(3)) {
            case 0 -> new MetricsConstant(random.nextBoolean() ? new Static.Int(random.nextInt(2000) - 1000)
                    : new Static.Float(random.nextInt(2000) / 8.0 - 100));
            case 1 -> metricsPipeline(false);
            default -> depth > 1 ? metricsBinary(depth - 1) : metricsPipeline(false);
        };
        BinaryOperator op = ops[random.nextInt(ops.length)];
        return random.nextBoolean() ? new MetricsBinary(op, metrics, other) : new MetricsBinary(op, other, metrics);
    }

    private Hints hints() {
        if (random.nextInt(4) != 0) {
            return Hints.NONE;
        }
        List<Hint> hints = new ArrayList<>();
        String[] names = {"most_recent", "sample", "exemplars", "x", "job_size", "h_1"};
        for (int i = 0; i <= random.nextInt(3); i++) {
            Static value = switch (random.nextInt(5)) {
                case 0 -> new Static.Bool(random.nextBoolean());
                case 1 -> new Static.Int(random.nextInt(1000));
                case 2 -> new Static.Float(random.nextDouble());
                case 3 -> new Static.Duration(random.nextInt(1_000_000) * 1000L);
                default -> string();
            };
            hints.add(new Hint(names[random.nextInt(names.length)], value));
        }
        return new Hints(hints);
    }

    // ---- field expressions -----------------------------------------------------------------------

    /** A boolean (or attribute-typed) expression. */
    private FieldExpression bool(int depth) {
        int choice = depth == 0 ? random.nextInt(2) : random.nextInt(9);
        return switch (choice) {
            case 0 -> attribute();
            case 1 -> {
                Attribute a = attribute();
                // Tempo rejects resource.service.name = nil (spec 6.2).
                BinaryOperator op = a.equals(Attribute.resource("service.name")) || random.nextBoolean()
                        ? BinaryOperator.NEQ : BinaryOperator.EQ;
                yield random.nextBoolean() ? new BinaryOperation(op, a, Static.NIL) : new BinaryOperation(op, Static.NIL, a);
            }
            case 2, 3 -> {
                FieldExpression left = numeric(depth - 1);
                FieldExpression right = numeric(depth - 1);
                if (left instanceof Static && right instanceof Static) {
                    right = numericReference();
                }
                yield random.nextBoolean() ? new BinaryOperation(comparisonOperator(), left, right)
                        : new BinaryOperation(comparisonOperator(), right, left);
            }
            case 4 -> stringComparison();
            case 5 -> new UnaryOperation(UnaryOperator.NOT, bool(depth - 1));
            case 6 -> enumComparison();
            default -> new BinaryOperation(random.nextBoolean() ? BinaryOperator.AND : BinaryOperator.OR,
                    bool(depth - 1), bool(depth - 1));
        };
    }

    private FieldExpression stringComparison() {
        FieldExpression field = random.nextBoolean() ? attribute() : new IntrinsicField(pick(Intrinsic.NAME,
                Intrinsic.STATUS_MESSAGE, Intrinsic.TRACE_ROOT_SERVICE, Intrinsic.EVENT_NAME, Intrinsic.SPAN_ID));
        if (random.nextBoolean()) {
            String[] patterns = {"a.*", "", "(?i)x|y", "[0-9]+", "\\d{2,3}", "h.llo"};
            BinaryOperator op = random.nextBoolean() ? BinaryOperator.REGEX : BinaryOperator.NOT_REGEX;
            return new BinaryOperation(op, field, new Static.Str(patterns[random.nextInt(patterns.length)]));
        }
        BinaryOperator[] ops = {BinaryOperator.EQ, BinaryOperator.NEQ, BinaryOperator.LT, BinaryOperator.GTE};
        BinaryOperator op = ops[random.nextInt(ops.length)];
        return random.nextBoolean() ? new BinaryOperation(op, field, string()) : new BinaryOperation(op, string(), field);
    }

    private FieldExpression enumComparison() {
        BinaryOperator op = random.nextBoolean() ? BinaryOperator.EQ : BinaryOperator.NEQ;
        if (random.nextBoolean()) {
            SpanStatus[] values = SpanStatus.values();
            return new BinaryOperation(op, new IntrinsicField(Intrinsic.STATUS), new Static.Status(values[random.nextInt(values.length)]));
        }
        SpanKind[] values = SpanKind.values();
        return new BinaryOperation(op, new Static.Kind(values[random.nextInt(values.length)]), new IntrinsicField(Intrinsic.KIND));
    }

    /** A numeric (or attribute-typed) expression. */
    private FieldExpression numeric(int depth) {
        int choice = depth <= 0 ? random.nextInt(3) : random.nextInt(8);
        return switch (choice) {
            case 0 -> numericReference();
            case 1 -> attribute();
            case 2 -> numberLiteral(false);
            case 3 -> new UnaryOperation(UnaryOperator.NEGATE, random.nextBoolean() ? numericReference() : nonLiteral(depth - 1));
            default -> {
                BinaryOperator[] ops = {BinaryOperator.ADD, BinaryOperator.SUB, BinaryOperator.MUL, BinaryOperator.DIV,
                    BinaryOperator.MOD, BinaryOperator.POW};
                FieldExpression left = nonLiteral(depth - 1);
                FieldExpression right = numeric(depth - 1);
                BinaryOperator op = ops[random.nextInt(ops.length)];
                yield random.nextBoolean() ? new BinaryOperation(op, left, right) : new BinaryOperation(op, right, left);
            }
        };
    }

    private FieldExpression nonLiteral(int depth) {
        FieldExpression e = numeric(depth);
        return e instanceof Static ? numericReference() : e;
    }

    private FieldExpression numericReference() {
        return random.nextInt(3) == 0 ? attribute() : new IntrinsicField(pick(Intrinsic.DURATION, Intrinsic.CHILD_COUNT,
                Intrinsic.TRACE_DURATION, Intrinsic.EVENT_TIME_SINCE_START, Intrinsic.NESTED_SET_LEFT));
    }

    private Static numberLiteral(boolean allowDurationSign) {
        return switch (random.nextInt(7)) {
            case 0 -> new Static.Int(random.nextInt(2001) - 1000);
            case 1 -> new Static.Int(random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE);
            case 2 -> new Static.Float((random.nextInt(20001) - 10000) / 16.0);
            case 3 -> new Static.Float(random.nextBoolean() ? 1e-7 * random.nextInt(100) : 3.5e21);
            case 4 -> new Static.Duration((long) random.nextInt(1_000_000) * (random.nextBoolean() ? 1L : 1_000_000L));
            case 5 -> new Static.Duration(-1L * random.nextInt(1_000_000_000));
            default -> new Static.Duration(3_600_000_000_000L * random.nextInt(100) + random.nextInt(1000));
        };
    }

    private Static string() {
        String[] values = {"", "x", "GET /api", "with \"quotes\"", "back\\slash", "tab\tnewline\n", "caf\u00e9",
            "\u65e5\u672c", "\u0001ctl", "emoji \uD83D\uDE00", "{}()=~!<>&|^,"};
        return new Static.Str(values[random.nextInt(values.length)]);
    }

    private Attribute attribute() {
        String[] names = {"a", "http.method", "service.name", "foo-bar", "a+1", "k8s.pod:name", "3xx", "with space",
            "quo\"te", "", ".", "span.x", "resource.y", "\u00e9t\u00e9", "a//b", "x{y}", "count", "status", "back\\slash"};
        AttributeScope[] scopes = AttributeScope.values();
        return new Attribute(scopes[random.nextInt(scopes.length)], names[random.nextInt(names.length)]);
    }

    private FieldReference reference() {
        if (random.nextBoolean()) {
            return attribute();
        }
        Intrinsic[] all = Intrinsic.values();
        Intrinsic i;
        do {
            i = all[random.nextInt(all.length)];
        } while (i == Intrinsic.PARENT);
        return new IntrinsicField(i);
    }

    private List<FieldReference> references(int n) {
        List<FieldReference> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            refs.add(reference());
        }
        return refs;
    }

    private BinaryOperator comparisonOperator() {
        BinaryOperator[] ops = {BinaryOperator.EQ, BinaryOperator.NEQ, BinaryOperator.LT, BinaryOperator.LTE,
            BinaryOperator.GT, BinaryOperator.GTE};
        return ops[random.nextInt(ops.length)];
    }

    @SafeVarargs
    private <T> T pick(T... values) {
        return values[random.nextInt(values.length)];
    }

    @Test
    void generatorProducesEveryStaticType() {
        List<StaticType> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            collectTypes(bool(4), seen);
        }
        assertThat(seen).contains(StaticType.INT, StaticType.FLOAT, StaticType.DURATION, StaticType.STRING,
                StaticType.STATUS, StaticType.KIND, StaticType.NIL);
    }

    private static void collectTypes(FieldExpression e, List<StaticType> out) {
        switch (e) {
            case Static s -> out.add(s.type());
            case BinaryOperation b -> {
                collectTypes(b.left(), out);
                collectTypes(b.right(), out);
            }
            case UnaryOperation u -> collectTypes(u.operand(), out);
            default -> {
            }
        }
    }
}

package io.vivace.traceql.engine;

import io.vivace.traceql.ast.Aggregate;
import io.vivace.traceql.ast.AggregateFunction;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.Coalesce;
import io.vivace.traceql.ast.GroupBy;
import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.PipelineAggregate;
import io.vivace.traceql.ast.PipelineStage;
import io.vivace.traceql.ast.ScalarExpression;
import io.vivace.traceql.ast.ScalarFilter;
import io.vivace.traceql.ast.ScalarOperation;
import io.vivace.traceql.ast.Select;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.SpansetOperation;
import io.vivace.traceql.ast.SpansetOperator;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.TraceQLPrinter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One compiled pipeline stage: maps the spansets of a trace to new spansets (traceql.md §7.1).
 * Stages never return empty spansets. Implementations are immutable and thread-safe.
 */
interface Stage {
    /** The message Tempo fails with when a structural operator meets several spansets. */
    String MULTIPLE_SPANSETS = "spanset operators are not supported for multiple spansets per trace. consider using coalesce()";

    List<Spanset> apply(List<Spanset> input, EvalContext c);

    /** Compiles a search pipeline. */
    static Stage of(Pipeline p) {
        List<Stage> stages = new ArrayList<>(p.stages().size());
        for (PipelineStage s : p.stages()) {
            if (!(s instanceof Select)) {
                // select() only adds fields to the response; it does not filter.
                stages.add(of(s));
            }
        }
        return stages.size() == 1 ? stages.get(0) : new Sequence(stages.toArray(Stage[]::new));
    }

    /** Compiles one stage. */
    static Stage of(PipelineStage s) {
        return switch (s) {
            case SpansetFilter f -> new Filter(SpanFilter.compile(f.expression()));
            case SpansetOperation o -> new Operation(o.operator(), of(o.left()), of(o.right()));
            case Pipeline p -> of(p);
            case ScalarFilter f -> new ScalarFilterStage(f.operator(), Scalar.of(f.left()), Scalar.of(f.right()), TraceQLPrinter.print(f));
            case GroupBy g -> new Group(Expr.compile(g.expression()), TraceQLPrinter.print(g));
            case Coalesce c -> new CoalesceStage();
            case Select sel -> new Sequence(new Stage[0]);
        };
    }

    /** Stages one after the other; stops as soon as nothing is left. */
    record Sequence(Stage[] stages) implements Stage {
        @Override
        public List<Spanset> apply(List<Spanset> input, EvalContext c) {
            List<Spanset> current = input;
            for (Stage s : stages) {
                if (current.isEmpty()) {
                    return current;
                }
                current = s.apply(current, c);
            }
            return current;
        }
    }

    /** {@code { e }}: keeps the matching spans of each spanset. */
    record Filter(SpanFilter filter) implements Stage {
        @Override
        public List<Spanset> apply(List<Spanset> input, EvalContext c) {
            if (filter.matchesAll()) {
                return input;
            }
            List<Spanset> out = new ArrayList<>(input.size());
            for (Spanset ss : input) {
                EvalSpan[] kept = new EvalSpan[ss.spans.length];
                int n = 0;
                for (EvalSpan s : ss.spans) {
                    if (filter.test(s, c)) {
                        kept[n++] = s;
                    }
                }
                if (n == ss.spans.length) {
                    out.add(ss);
                } else if (n > 0) {
                    out.add(ss.withSpans(Arrays.copyOf(kept, n)));
                }
            }
            return out;
        }
    }

    /**
     * {@code left op right}: both sides see the same input spanset; the result keeps that spanset's
     * attributes. {@code &&}/{@code ||} take the union of everything the sides returned; structural
     * operators need at most one spanset per side.
     */
    record Operation(SpansetOperator op, Stage left, Stage right) implements Stage {
        @Override
        public List<Spanset> apply(List<Spanset> input, EvalContext c) {
            List<Spanset> out = new ArrayList<>(input.size());
            for (Spanset ss : input) {
                List<Spanset> one = List.of(ss);
                List<Spanset> l = left.apply(one, c);
                List<Spanset> r = right.apply(one, c);
                switch (op) {
                    case AND -> {
                        if (!l.isEmpty() && !r.isEmpty()) {
                            out.add(ss.withSpans(Spanset.union(Spanset.allSpans(l), Spanset.allSpans(r))));
                        }
                    }
                    case OR -> {
                        if (!l.isEmpty() || !r.isEmpty()) {
                            out.add(ss.withSpans(Spanset.union(Spanset.allSpans(l), Spanset.allSpans(r))));
                        }
                    }
                    default -> {
                        if (r.isEmpty()) {
                            continue;
                        }
                        if (l.size() > 1 || r.size() > 1) {
                            throw new TraceQLExecutionException(MULTIPLE_SPANSETS);
                        }
                        EvalSpan[] leftSpans = l.isEmpty() ? new EvalSpan[0] : l.get(0).spans;
                        EvalSpan[] result = Structural.apply(op, leftSpans, r.get(0).spans, c.trace.spans().size());
                        if (result.length > 0) {
                            out.add(ss.withSpans(result));
                        }
                    }
                }
            }
            return out;
        }
    }

    /** {@code by(e)}: one spanset per distinct value of e (nil included), in order of first span. */
    record Group(Expr key, String name) implements Stage {
        private static final Object NIL = new Object();

        @Override
        public List<Spanset> apply(List<Spanset> input, EvalContext c) {
            List<Spanset> out = new ArrayList<>();
            for (Spanset ss : input) {
                Map<Object, List<EvalSpan>> groups = new LinkedHashMap<>();
                Map<Object, Object> values = new LinkedHashMap<>();
                for (EvalSpan s : ss.spans) {
                    Object v = key.eval(c.bind(s));
                    Object k = v == null ? NIL : v;
                    groups.computeIfAbsent(k, x -> new ArrayList<>()).add(s);
                    values.putIfAbsent(k, v);
                }
                for (Map.Entry<Object, List<EvalSpan>> g : groups.entrySet()) {
                    Spanset grouped = new Spanset(g.getValue().toArray(EvalSpan[]::new), ss.attributes);
                    out.add(grouped.withAttribute(name, values.get(g.getKey())));
                }
            }
            return out;
        }
    }

    /** {@code coalesce()}: all spans of the trace in one spanset, without attributes (as Tempo). */
    record CoalesceStage() implements Stage {
        @Override
        public List<Spanset> apply(List<Spanset> input, EvalContext c) {
            EvalSpan[] all = Spanset.allSpans(input);
            return all.length == 0 ? List.of() : List.of(new Spanset(all, List.of()));
        }
    }

    /**
     * A scalar filter such as {@code count() > 2}: keeps a spanset when the comparison holds, and
     * attaches every aggregate it computed as a spanset attribute named after the aggregate.
     */
    record ScalarFilterStage(BinaryOperator op, Scalar left, Scalar right, String text) implements Stage {
        @Override
        public List<Spanset> apply(List<Spanset> input, EvalContext c) {
            List<Spanset> out = new ArrayList<>(input.size());
            for (Spanset ss : input) {
                List<Spanset.Attr> computed = new ArrayList<>(2);
                Object l = left.eval(ss, c, computed);
                if (l == Scalar.UNDEFINED) {
                    continue;
                }
                Object r = right.eval(ss, c, computed);
                if (r == Scalar.UNDEFINED || !Values.compare(op, l, r, null, text)) {
                    continue;
                }
                Spanset kept = ss;
                for (Spanset.Attr a : computed) {
                    kept = kept.withAttribute(a.name(), a.value());
                }
                out.add(kept);
            }
            return out;
        }
    }

    /** An operand of a scalar filter, evaluated on one spanset. */
    interface Scalar {
        /** The spanset has no value (an aggregate over nil values only): it is dropped. */
        Object UNDEFINED = new Object();

        /** The value, or {@link #UNDEFINED}; aggregates add their (name, value) to {@code computed}. */
        Object eval(Spanset ss, EvalContext c, List<Spanset.Attr> computed);

        static Scalar of(ScalarExpression e) {
            return switch (e) {
                case Static s -> {
                    Object v = Values.of(s);
                    yield (ss, c, computed) -> v;
                }
                case Aggregate a -> new AggregateScalar(a.function(), a.argument() == null ? null : Expr.compile(a.argument()),
                        TraceQLPrinter.print(a));
                case ScalarOperation o -> {
                    Scalar l = of(o.left());
                    Scalar r = of(o.right());
                    String text = TraceQLPrinter.print(o);
                    yield (ss, c, computed) -> {
                        Object x = l.eval(ss, c, computed);
                        Object y = x == UNDEFINED ? UNDEFINED : r.eval(ss, c, computed);
                        return y == UNDEFINED ? UNDEFINED : Values.arithmetic(o.operator(), x, y, text);
                    };
                }
                case PipelineAggregate p -> {
                    Stage pipeline = Stage.of(p.pipeline());
                    AggregateScalar aggregate = new AggregateScalar(p.aggregate().function(),
                            p.aggregate().argument() == null ? null : Expr.compile(p.aggregate().argument()), TraceQLPrinter.print(p));
                    yield (ss, c, computed) -> aggregate.over(Spanset.allSpans(pipeline.apply(List.of(ss), c)), c, computed);
                }
            };
        }
    }

    /**
     * {@code count() avg() min() max() sum()} with Tempo's rules (§7.7): nil values are skipped, and
     * an aggregate over nil values only is undefined; {@code sum} (and the sum inside {@code avg})
     * adds only values of the first value's type; {@code avg} of ints is a float, of durations a
     * duration; {@code min}/{@code max} compare ints, floats and durations numerically and ignore
     * values that are not numbers.
     */
    record AggregateScalar(AggregateFunction function, Expr argument, String name) implements Scalar {
        @Override
        public Object eval(Spanset ss, EvalContext c, List<Spanset.Attr> computed) {
            return over(ss.spans, c, computed);
        }

        Object over(EvalSpan[] spans, EvalContext c, List<Spanset.Attr> computed) {
            Object v = compute(spans, c);
            if (v != UNDEFINED) {
                computed.add(new Spanset.Attr(name, v));
            }
            return v;
        }

        private Object compute(EvalSpan[] spans, EvalContext c) {
            if (function == AggregateFunction.COUNT) {
                return Long.valueOf(spans.length);
            }
            Object best = null;
            long longSum = 0;
            double doubleSum = 0;
            Class<?> sumType = null;
            long count = 0;
            for (EvalSpan s : spans) {
                Object v = argument.eval(c.bind(s));
                if (v == null) {
                    continue;
                }
                count++;
                switch (function) {
                    case MIN, MAX -> {
                        if (!Values.isNumeric(v)) {
                            continue;
                        }
                        if (best == null) {
                            best = v;
                        } else {
                            int cmp = Values.compareNumbers(v, best);
                            if (function == AggregateFunction.MIN ? cmp < 0 : cmp > 0) {
                                best = v;
                            }
                        }
                    }
                    default -> {
                        if (sumType == null) {
                            sumType = v.getClass();
                        }
                        if (v.getClass() != sumType) {
                            continue; // Tempo quirk: only values of the first value's type are added
                        }
                        switch (v) {
                            case Long l -> longSum += l;
                            case Values.Dur d -> longSum += d.nanos();
                            case Double d -> doubleSum += d;
                            default -> {
                                // Not a number: the aggregate has no numeric value.
                            }
                        }
                    }
                }
            }
            return switch (function) {
                case MIN, MAX -> best == null ? UNDEFINED : best;
                case SUM -> {
                    if (sumType == Long.class) {
                        yield Long.valueOf(longSum);
                    } else if (sumType == Values.Dur.class) {
                        yield new Values.Dur(longSum);
                    } else if (sumType == Double.class) {
                        yield Double.valueOf(doubleSum);
                    }
                    yield UNDEFINED;
                }
                case AVG -> {
                    if (sumType == Long.class) {
                        yield Double.valueOf((double) longSum / count);
                    } else if (sumType == Values.Dur.class) {
                        yield new Values.Dur(longSum / count);
                    } else if (sumType == Double.class) {
                        yield Double.valueOf(doubleSum / count);
                    }
                    yield UNDEFINED;
                }
                case COUNT -> throw new IllegalStateException("count() is handled above");
            };
        }
    }
}

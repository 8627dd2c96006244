package io.vivace.traceql.engine;

import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.plan.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Evaluates a {@link TracePredicate} on a whole {@link EvalTrace}, with the engine's own field
 * semantics: for sources that hold traces in memory (the ingester's live traces, tests) and cannot
 * prune any earlier. Every condition is checked on its own, so the result is exactly the predicate:
 * a necessary condition for the query to match.
 */
public final class TracePredicates {
    private TracePredicates() {
    }

    /** Compiles the predicate once; the returned test is thread-safe. */
    public static Predicate<EvalTrace> compile(TracePredicate predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return switch (predicate) {
            case TracePredicate.All a -> t -> true;
            case TracePredicate.And and -> {
                List<Predicate<EvalTrace>> parts = compileAll(and.children());
                yield t -> {
                    for (Predicate<EvalTrace> p : parts) {
                        if (!p.test(t)) {
                            return false;
                        }
                    }
                    return true;
                };
            }
            case TracePredicate.Or or -> {
                List<Predicate<EvalTrace>> parts = compileAll(or.children());
                yield t -> {
                    for (Predicate<EvalTrace> p : parts) {
                        if (p.test(t)) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            case TracePredicate.SpanMatch m -> {
                List<SpanFilter> conditions = new ArrayList<>();
                for (Condition c : m.conditions().conditions()) {
                    conditions.add(SpanFilter.compile(new BinaryOperation(c.operator(), c.field(), c.operand())));
                }
                yield t -> someSpanMatches(t, conditions);
            }
        };
    }

    /** Whether the trace satisfies the predicate (compiles it each time; prefer {@link #compile}). */
    public static boolean test(TracePredicate predicate, EvalTrace trace) {
        return compile(predicate).test(trace);
    }

    private static List<Predicate<EvalTrace>> compileAll(List<TracePredicate> children) {
        List<Predicate<EvalTrace>> out = new ArrayList<>(children.size());
        for (TracePredicate c : children) {
            out.add(compile(c));
        }
        return out;
    }

    private static boolean someSpanMatches(EvalTrace trace, List<SpanFilter> conditions) {
        EvalContext c = new EvalContext(trace);
        spans:
        for (EvalSpan s : trace.spans()) {
            for (SpanFilter f : conditions) {
                if (!f.test(s, c)) {
                    continue spans;
                }
            }
            return true;
        }
        return false;
    }
}

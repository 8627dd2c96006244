package io.vivace.traceql.engine;

import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.PipelineStage;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.SpansetExpression;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.SpansetOperation;
import io.vivace.traceql.plan.ConditionSet;
import io.vivace.traceql.plan.Conditions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a trace must have for a query to possibly match it: a boolean tree over "some span satisfies
 * every condition of this set". A source uses it to skip batches, rows and traces before building
 * {@link EvalTrace}s; it is a necessary condition only (the engine re-evaluates the query exactly),
 * so a source may treat any node it cannot evaluate as {@link All}.
 */
public sealed interface TracePredicate {
    /** Every trace may match. */
    record All() implements TracePredicate {
    }

    /** Every child must hold. */
    record And(List<TracePredicate> children) implements TracePredicate {
        /** Copies the list. */
        public And {
            children = List.copyOf(children);
        }
    }

    /** At least one child must hold. */
    record Or(List<TracePredicate> children) implements TracePredicate {
        /** Copies the list. */
        public Or {
            children = List.copyOf(children);
        }
    }

    /**
     * Some span of the trace satisfies every condition of {@code conditions} (all of which have an
     * operator). An empty set means "the trace has a span".
     */
    record SpanMatch(ConditionSet conditions) implements TracePredicate {
        /** Checks that every condition is a comparison. */
        public SpanMatch {
            Objects.requireNonNull(conditions, "conditions");
            if (conditions.conditions().stream().anyMatch(c -> c.operator() == null)) {
                throw new IllegalArgumentException("conditions: " + conditions + " (expected: comparisons only)");
            }
        }
    }

    /** The predicate that accepts every trace. */
    All ALL = new All();

    /** The predicate of a search query (a metrics query: of its spanset pipeline). */
    static TracePredicate of(Query query) {
        if (query.body() instanceof Pipeline p) {
            return of(p);
        }
        return ALL;
    }

    /** The predicate of one spanset filter. */
    static TracePredicate of(SpansetFilter filter) {
        ConditionSet set = Conditions.of(filter);
        if (!set.allConditions()) {
            return ALL;
        }
        return new SpanMatch(set);
    }

    private static TracePredicate of(SpansetExpression e) {
        return switch (e) {
            case SpansetFilter f -> of(f);
            case Pipeline p -> of(p);
            case SpansetOperation op -> switch (op.operator()) {
                case OR -> or(of(op.left()), of(op.right()));
                // Result spans come from the right side; the left side may be empty.
                case NOT_CHILD, NOT_PARENT, NOT_DESCENDANT, NOT_ANCESTOR, NOT_SIBLING -> of(op.right());
                default -> and(of(op.left()), of(op.right()));
            };
        };
    }

    private static TracePredicate of(Pipeline p) {
        List<TracePredicate> parts = new ArrayList<>();
        for (PipelineStage stage : p.stages()) {
            if (stage instanceof SpansetExpression e) {
                parts.add(of(e));
            }
            // Scalar filters, by(), coalesce() and select() only narrow or regroup what came before.
        }
        return and(parts.toArray(TracePredicate[]::new));
    }

    /** Conjunction, flattened; {@link All} children dropped. */
    static TracePredicate and(TracePredicate... parts) {
        List<TracePredicate> out = new ArrayList<>();
        for (TracePredicate p : parts) {
            if (p instanceof And a) {
                out.addAll(a.children());
            } else if (!(p instanceof All)) {
                out.add(p);
            }
        }
        return out.isEmpty() ? ALL : out.size() == 1 ? out.get(0) : new And(out);
    }

    /** Disjunction, flattened; {@link All} when any child is {@link All}. */
    static TracePredicate or(TracePredicate... parts) {
        List<TracePredicate> out = new ArrayList<>();
        for (TracePredicate p : parts) {
            if (p instanceof All) {
                return ALL;
            }
            if (p instanceof Or o) {
                out.addAll(o.children());
            } else {
                out.add(p);
            }
        }
        return out.size() == 1 ? out.get(0) : new Or(out);
    }
}

package io.vivace.storage.block;

import io.vivace.traceql.engine.TracePredicate;
import io.vivace.traceql.plan.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link TracePredicate} compiled for searching blocks: its {@code SpanMatch} nodes become leaves
 * (each a conjunction of compiled conditions, shared between leaves when equal), and the And/Or
 * tree above them is evaluated on one boolean per leaf, for a batch (from the index or the
 * dictionaries: "some row may satisfy the leaf") and for a trace ("some span satisfies it"). The
 * tree has no negation, so a leaf answered "may" where it is unsure keeps the result a superset.
 */
final class SearchPlan {
    private sealed interface Node permits Always, Every, Any, LeafRef {
        boolean eval(boolean[] leaves);
    }

    private record Always() implements Node {
        @Override
        public boolean eval(boolean[] leaves) {
            return true;
        }
    }

    private record Every(List<Node> children) implements Node {
        @Override
        public boolean eval(boolean[] leaves) {
            for (Node n : children) {
                if (!n.eval(leaves)) {
                    return false;
                }
            }
            return true;
        }
    }

    private record Any(List<Node> children) implements Node {
        @Override
        public boolean eval(boolean[] leaves) {
            for (Node n : children) {
                if (n.eval(leaves)) {
                    return true;
                }
            }
            return false;
        }
    }

    private record LeafRef(int leaf) implements Node {
        @Override
        public boolean eval(boolean[] leaves) {
            return leaves[leaf];
        }
    }

    /** The distinct conditions of the predicate. */
    final List<SpanConditions.Compiled> conditions;
    /** Per leaf, indexes into {@link #conditions}; an empty leaf holds for every span. */
    final List<int[]> leaves;
    private final Node root;

    private SearchPlan(List<SpanConditions.Compiled> conditions, List<int[]> leaves, Node root) {
        this.conditions = conditions;
        this.leaves = leaves;
        this.root = root;
    }

    /** Compiles {@code predicate}. */
    static SearchPlan of(TracePredicate predicate) {
        Map<Condition, Integer> byCondition = new LinkedHashMap<>();
        List<SpanConditions.Compiled> conditions = new ArrayList<>();
        List<int[]> leaves = new ArrayList<>();
        Node root = compile(predicate, byCondition, conditions, leaves);
        return new SearchPlan(List.copyOf(conditions), List.copyOf(leaves), root);
    }

    private static Node compile(TracePredicate p, Map<Condition, Integer> byCondition, List<SpanConditions.Compiled> conditions,
            List<int[]> leaves) {
        return switch (p) {
            case TracePredicate.All a -> new Always();
            case TracePredicate.And a -> new Every(a.children().stream().map(c -> compile(c, byCondition, conditions, leaves)).toList());
            case TracePredicate.Or o -> new Any(o.children().stream().map(c -> compile(c, byCondition, conditions, leaves)).toList());
            case TracePredicate.SpanMatch m -> {
                List<Condition> cs = m.conditions().conditions();
                int[] leaf = new int[cs.size()];
                for (int i = 0; i < leaf.length; i++) {
                    Condition c = cs.get(i);
                    Integer at = byCondition.get(c);
                    if (at == null) {
                        at = conditions.size();
                        conditions.add(SpanConditions.compile(c));
                        byCondition.put(c, at);
                    }
                    leaf[i] = at;
                }
                leaves.add(leaf);
                yield new LeafRef(leaves.size() - 1);
            }
        };
    }

    /** Whether the predicate holds given one value per leaf. */
    boolean eval(boolean[] leafValues) {
        return root.eval(leafValues);
    }

    /** Whether the predicate accepts every trace (nothing to evaluate). */
    boolean acceptsAll() {
        return root instanceof Always;
    }

    /** False when the index shows that no row of {@code batch} satisfies leaf {@code leaf}. */
    boolean leafMayMatch(int leaf, BlockIndex.Batch batch) {
        for (int c : leaves.get(leaf)) {
            if (!conditions.get(c).mayMatch(batch)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the dictionary columns the conditions of {@code leaf} read. */
    void dictionaries(int leaf, Set<String> out) {
        for (int c : leaves.get(leaf)) {
            conditions.get(c).dictionaries(out);
        }
    }
}

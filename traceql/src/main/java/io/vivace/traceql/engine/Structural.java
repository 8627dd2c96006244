package io.vivace.traceql.engine;

import io.vivace.traceql.ast.SpansetOperator;
import java.util.Arrays;

/**
 * The structural spanset operators (traceql.md §7.6) on nested-set numbers. Each relation runs in
 * O((|L| + |R|) log |L|) using the facts that nested-set intervals of one trace never partially
 * overlap and that numbers are at most twice the span count.
 *
 * <p>Spans without nested-set numbers (orphans) are in no relation with anything, so the negated
 * operators ({@code !>} ...) do return them, as in Tempo. Roots have parent −1 and are therefore
 * siblings of each other.
 */
final class Structural {
    private Structural() {
    }

    /** "candidate is ... of some span of {@code from}". */
    enum Relation {
        /** A direct child. */
        CHILD,
        /** The direct parent. */
        PARENT,
        /** A descendant (strictly below). */
        DESCENDANT,
        /** An ancestor (strictly above). */
        ANCESTOR,
        /** Shares the parent, and is a different span. */
        SIBLING
    }

    /**
     * The spans {@code left op right} returns: right spans for the plain and negated forms, right and
     * left spans taking part for the union forms; sorted by start.
     *
     * @param traceSize the number of spans in the trace (bounds the nested-set numbers)
     */
    static EvalSpan[] apply(SpansetOperator op, EvalSpan[] left, EvalSpan[] right, int traceSize) {
        return switch (op) {
            case CHILD -> related(Relation.CHILD, left, right, traceSize);
            case PARENT -> related(Relation.PARENT, left, right, traceSize);
            case DESCENDANT -> related(Relation.DESCENDANT, left, right, traceSize);
            case ANCESTOR -> related(Relation.ANCESTOR, left, right, traceSize);
            case SIBLING -> related(Relation.SIBLING, left, right, traceSize);
            case NOT_CHILD -> minus(right, related(Relation.CHILD, left, right, traceSize));
            case NOT_PARENT -> minus(right, related(Relation.PARENT, left, right, traceSize));
            case NOT_DESCENDANT -> minus(right, related(Relation.DESCENDANT, left, right, traceSize));
            case NOT_ANCESTOR -> minus(right, related(Relation.ANCESTOR, left, right, traceSize));
            case NOT_SIBLING -> minus(right, related(Relation.SIBLING, left, right, traceSize));
            case UNION_CHILD -> Spanset.union(related(Relation.CHILD, left, right, traceSize),
                    related(Relation.PARENT, right, left, traceSize));
            case UNION_PARENT -> Spanset.union(related(Relation.PARENT, left, right, traceSize),
                    related(Relation.CHILD, right, left, traceSize));
            case UNION_DESCENDANT -> Spanset.union(related(Relation.DESCENDANT, left, right, traceSize),
                    related(Relation.ANCESTOR, right, left, traceSize));
            case UNION_ANCESTOR -> Spanset.union(related(Relation.ANCESTOR, left, right, traceSize),
                    related(Relation.DESCENDANT, right, left, traceSize));
            case UNION_SIBLING -> Spanset.union(related(Relation.SIBLING, left, right, traceSize),
                    related(Relation.SIBLING, right, left, traceSize));
            case AND, OR -> throw new IllegalArgumentException("operator: " + op + " (expected: a structural operator)");
        };
    }

    /** The candidates (sorted by start) that are in {@code relation} with some span of {@code from}. */
    static EvalSpan[] related(Relation relation, EvalSpan[] from, EvalSpan[] candidates, int traceSize) {
        if (from.length == 0 || candidates.length == 0) {
            return new EvalSpan[0];
        }
        int limit = 2 * traceSize + 2;
        EvalSpan[] out = new EvalSpan[candidates.length];
        int n = 0;
        switch (relation) {
            case CHILD -> {
                boolean[] isLeft = new boolean[limit];
                for (EvalSpan f : from) {
                    if (f.hasNestedSet()) {
                        isLeft[f.nestedSetLeft()] = true;
                    }
                }
                for (EvalSpan c : candidates) {
                    int p = c.nestedSetParent();
                    if (p > 0 && p < limit && isLeft[p]) {
                        out[n++] = c;
                    }
                }
            }
            case PARENT -> {
                boolean[] isParent = new boolean[limit];
                for (EvalSpan f : from) {
                    int p = f.nestedSetParent();
                    if (f.hasNestedSet() && p > 0 && p < limit) {
                        isParent[p] = true;
                    }
                }
                for (EvalSpan c : candidates) {
                    if (c.hasNestedSet() && c.nestedSetLeft() < limit && isParent[c.nestedSetLeft()]) {
                        out[n++] = c;
                    }
                }
            }
            case DESCENDANT -> {
                // c is below some f iff, among the f starting before c, the largest right end is past c's.
                long[] byLeft = numberedByLeft(from);
                int[] lefts = new int[byLeft.length];
                int[] maxRight = new int[byLeft.length];
                int max = 0;
                for (int i = 0; i < byLeft.length; i++) {
                    lefts[i] = (int) (byLeft[i] >>> 32);
                    max = Math.max(max, (int) byLeft[i]);
                    maxRight[i] = max;
                }
                for (EvalSpan c : candidates) {
                    if (!c.hasNestedSet()) {
                        continue;
                    }
                    int k = countBelow(lefts, c.nestedSetLeft());
                    if (k > 0 && maxRight[k - 1] > c.nestedSetRight()) {
                        out[n++] = c;
                    }
                }
            }
            case ANCESTOR -> {
                // c is above some f iff some f starts strictly inside c's interval.
                long[] byLeft = numberedByLeft(from);
                int[] lefts = new int[byLeft.length];
                for (int i = 0; i < byLeft.length; i++) {
                    lefts[i] = (int) (byLeft[i] >>> 32);
                }
                for (EvalSpan c : candidates) {
                    if (!c.hasNestedSet()) {
                        continue;
                    }
                    int k = countBelow(lefts, c.nestedSetLeft() + 1);
                    if (k < lefts.length && lefts[k] < c.nestedSetRight()) {
                        out[n++] = c;
                    }
                }
            }
            case SIBLING -> {
                // Parents range over -1 (roots) .. 2n; index shifted by one.
                int[] count = new int[limit + 1];
                boolean[] inFrom = new boolean[traceSize];
                for (EvalSpan f : from) {
                    int p = f.nestedSetParent();
                    if (p != 0 && p + 1 < count.length) {
                        count[p + 1]++;
                    }
                    if (f.index() < traceSize) {
                        inFrom[f.index()] = true;
                    }
                }
                for (EvalSpan c : candidates) {
                    int p = c.nestedSetParent();
                    if (p == 0 || p + 1 >= count.length) {
                        continue;
                    }
                    int others = count[p + 1] - (c.index() < traceSize && inFrom[c.index()] ? 1 : 0);
                    if (others > 0) {
                        out[n++] = c;
                    }
                }
            }
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The numbered spans as (left << 32 | right), sorted by left. */
    private static long[] numberedByLeft(EvalSpan[] spans) {
        long[] out = new long[spans.length];
        int n = 0;
        for (EvalSpan s : spans) {
            if (s.hasNestedSet()) {
                out[n++] = ((long) s.nestedSetLeft() << 32) | (s.nestedSetRight() & 0xFFFFFFFFL);
            }
        }
        long[] result = Arrays.copyOf(out, n);
        Arrays.sort(result);
        return result;
    }

    /** The number of entries of sorted {@code values} that are smaller than {@code bound}. */
    private static int countBelow(int[] values, int bound) {
        int lo = 0;
        int hi = values.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (values[mid] < bound) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The spans of sorted {@code all} that are not in sorted {@code remove}. */
    private static EvalSpan[] minus(EvalSpan[] all, EvalSpan[] remove) {
        if (remove.length == 0) {
            return all;
        }
        EvalSpan[] out = new EvalSpan[all.length];
        int n = 0;
        int j = 0;
        for (EvalSpan s : all) {
            while (j < remove.length && remove[j].index() < s.index()) {
                j++;
            }
            if (j < remove.length && remove[j].index() == s.index()) {
                continue;
            }
            out[n++] = s;
        }
        return Arrays.copyOf(out, n);
    }
}

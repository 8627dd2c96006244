package io.vivace.traceql.plan;

import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.UnaryOperation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Extracts push-down conditions from spanset filters, the way Tempo's engine asks its storage for
 * spans: every {@code field op literal} becomes a {@link Condition}; fields used in any other way
 * become fetch-only conditions; {@code allConditions} tells whether storage may treat the filter as
 * the plain conjunction of the conditions.
 */
public final class Conditions {
    private Conditions() {
    }

    /** The conditions of a spanset filter. */
    public static ConditionSet of(SpansetFilter filter) {
        return of(filter.expression());
    }

    /** The conditions of a field expression. */
    public static ConditionSet of(FieldExpression expression) {
        Set<Condition> found = new LinkedHashSet<>();
        boolean all = collect(expression, found);
        return new ConditionSet(new ArrayList<>(found), all);
    }

    /** Adds the conditions of {@code e}; returns whether {@code e} is exactly their conjunction. */
    private static boolean collect(FieldExpression e, Set<Condition> out) {
        if (e.equals(Static.TRUE)) {
            return true;
        }
        if (e instanceof BinaryOperation b) {
            if (b.operator() == BinaryOperator.AND) {
                boolean left = collect(b.left(), out);
                boolean right = collect(b.right(), out);
                return left && right;
            }
            if (b.operator() == BinaryOperator.OR) {
                collect(b.left(), out);
                collect(b.right(), out);
                return false;
            }
            if (b.operator().isComparison()) {
                if (b.left() instanceof FieldReference f && b.right() instanceof Static s) {
                    out.add(new Condition(f, b.operator(), s));
                    return true;
                }
                BinaryOperator mirrored = b.operator().mirrored();
                if (b.right() instanceof FieldReference f && b.left() instanceof Static s && mirrored != null) {
                    out.add(new Condition(f, mirrored, s));
                    return true;
                }
            }
        }
        fetchAll(e, out);
        return false;
    }

    private static void fetchAll(FieldExpression e, Set<Condition> out) {
        switch (e) {
            case FieldReference f -> out.add(Condition.fetch(f));
            case UnaryOperation u -> fetchAll(u.operand(), out);
            case BinaryOperation b -> {
                fetchAll(b.left(), out);
                fetchAll(b.right(), out);
            }
            case Static s -> {
                // Nothing to read.
            }
        }
    }

    /** The fields a list of condition sets reads, each once, in order. */
    public static List<FieldReference> fields(List<ConditionSet> sets) {
        Set<FieldReference> fields = new LinkedHashSet<>();
        sets.forEach(s -> s.conditions().forEach(c -> fields.add(c.field())));
        return new ArrayList<>(fields);
    }
}

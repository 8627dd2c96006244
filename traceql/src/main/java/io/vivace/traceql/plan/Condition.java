package io.vivace.traceql.plan;

import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Static;
import java.util.Objects;
import java.util.Optional;

/**
 * One condition on one field, normalised with the field on the left ({@code 1 < span.a} becomes
 * {@code span.a > 1}). A condition without operator only asks storage to fetch the field, because
 * the expression using it is evaluated later (e.g. {@code span.a + span.b > 3}).
 *
 * @param field the attribute or intrinsic
 * @param operator the comparison, or {@code null} for fetch-only
 * @param operand the literal compared with ({@link Static.Nil} for exists / not exists), or
 *     {@code null} for fetch-only
 */
public record Condition(FieldReference field, BinaryOperator operator, Static operand) {
    /** Checks that operator and operand are both present or both absent. */
    public Condition {
        Objects.requireNonNull(field, "field");
        if ((operator == null) != (operand == null)) {
            throw new IllegalArgumentException("operator and operand: " + operator + ", " + operand
                    + " (expected: both present or both absent)");
        }
        if (operator != null && !operator.isComparison()) {
            throw new IllegalArgumentException("operator: " + operator + " (expected: a comparison)");
        }
    }

    /** A fetch-only condition. */
    public static Condition fetch(FieldReference field) {
        return new Condition(field, null, null);
    }

    /** The comparison, empty for fetch-only conditions. */
    public Optional<BinaryOperator> comparison() {
        return Optional.ofNullable(operator);
    }

    @Override
    public String toString() {
        return operator == null ? field.toString() : field + " " + operator.symbol() + " " + operand;
    }
}

package io.vivace.traceql;

import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.StaticType;
import io.vivace.traceql.ast.UnaryOperator;

/**
 * Tempo's static typing rules for operators (spec 6.1, 6.2), shared by validation and by
 * parse-time constant folding so that both agree on what is legal.
 */
public final class TypeRules {
    private TypeRules() {
    }

    /**
     * Whether two operand types may meet in one binary operation: same type, both numeric, or
     * either one unknown ({@link StaticType#ATTRIBUTE}) or nil.
     */
    public static boolean compatible(StaticType left, StaticType right) {
        return left == right
                || (left.isNumeric() && right.isNumeric())
                || left == StaticType.ATTRIBUTE || right == StaticType.ATTRIBUTE
                || left == StaticType.NIL || right == StaticType.NIL;
    }

    /** Whether an operand of this type may appear on either side of the operator (unknown passes). */
    public static boolean allows(BinaryOperator op, StaticType type) {
        return switch (type) {
            case ATTRIBUTE -> true;
            case INT, FLOAT, DURATION -> op.isArithmetic() || op.isEquality() || op.isOrdering();
            case STRING -> op.isEquality() || op.isOrdering() || op.isRegex();
            case BOOL -> op.isLogical() || op.isEquality();
            case NIL, STATUS, KIND -> op.isEquality();
        };
    }

    /** Whether the unary operator accepts an operand of this type (unknown passes). */
    public static boolean allows(UnaryOperator op, StaticType type) {
        if (type == StaticType.ATTRIBUTE) {
            return true;
        }
        return op == UnaryOperator.NEGATE ? type.isNumeric() : type == StaticType.BOOL;
    }

    /**
     * The inferred type of {@code left op right}: bool for comparisons and logic; for arithmetic
     * the left operand's type unless it is unknown, then the right operand's.
     */
    public static StaticType resultType(BinaryOperator op, StaticType left, StaticType right) {
        if (!op.isArithmetic()) {
            return StaticType.BOOL;
        }
        return left != StaticType.ATTRIBUTE ? left : right;
    }
}

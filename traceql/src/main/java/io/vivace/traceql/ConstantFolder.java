package io.vivace.traceql;

import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.StaticType;
import io.vivace.traceql.ast.UnaryOperator;
import java.util.Optional;

/**
 * Evaluates operators on literal values with Tempo's semantics (spec 6.3, 7.3). The parser uses it
 * to fold field operations whose operands are all literals; the evaluator can use
 * {@link #apply(BinaryOperator, Static, Static)} for the same results at run time.
 *
 * <p>Folding is skipped (the operation stays in the tree) when the operation would not validate,
 * on integer division or modulo by zero (a run-time error in Tempo), and when the result is not a
 * finite float (TraceQL has no literal for it, so the tree could not be printed back).
 */
public final class ConstantFolder {
    private ConstantFolder() {
    }

    /** Folds {@code left op right} if both are literals and the result is representable. */
    public static Optional<Static> fold(BinaryOperator op, FieldExpression left, FieldExpression right) {
        if (!(left instanceof Static l) || !(right instanceof Static r)) {
            return Optional.empty();
        }
        if (l.type() == StaticType.NIL || r.type() == StaticType.NIL) {
            // "x = nil" is "x does not exist"; a literal always exists. nil = nil is left alone.
            if (!op.isEquality() || (l.type() == StaticType.NIL && r.type() == StaticType.NIL)) {
                return Optional.empty();
            }
            return Optional.of(new Static.Bool(op == BinaryOperator.NEQ));
        }
        if (!TypeRules.compatible(l.type(), r.type()) || !TypeRules.allows(op, l.type()) || !TypeRules.allows(op, r.type())) {
            return Optional.empty();
        }
        if (op.isRegex()) {
            if (!(r instanceof Static.Str pattern) || !(l instanceof Static.Str subject)) {
                return Optional.empty();
            }
            try {
                boolean matches = Regexes.compile(pattern.value()).matcher(subject.value()).matches();
                return Optional.of(new Static.Bool(matches == (op == BinaryOperator.REGEX)));
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // validation reports the bad regex
            }
        }
        return apply(op, l, r);
    }

    /** Folds {@code op operand} if the operand is a literal of a type the operator accepts. */
    public static Optional<Static> fold(UnaryOperator op, FieldExpression operand) {
        if (!(operand instanceof Static s) || s.type() == StaticType.NIL || !TypeRules.allows(op, s.type())) {
            return Optional.empty();
        }
        return switch (op) {
            case NOT -> Optional.of(new Static.Bool(!((Static.Bool) s).value()));
            case NEGATE -> Optional.of(negate(s));
        };
    }

    /** Negates a number: ints wrap as in Go, durations stay durations. */
    public static Static negate(Static s) {
        return switch (s) {
            case Static.Int i -> new Static.Int(-i.value());
            case Static.Float f -> new Static.Float(-f.value());
            case Static.Duration d -> new Static.Duration(-d.nanos());
            default -> throw new IllegalArgumentException("not a number: " + s);
        };
    }

    /**
     * Applies a non-regex binary operator to two non-nil literals of compatible types, or returns
     * empty when Tempo would not produce a value (integer division by zero, non-finite float).
     */
    public static Optional<Static> apply(BinaryOperator op, Static l, Static r) {
        if (op.isLogical()) {
            boolean a = ((Static.Bool) l).value();
            boolean b = ((Static.Bool) r).value();
            return Optional.of(new Static.Bool(op == BinaryOperator.AND ? a && b : a || b));
        }
        if (op.isEquality()) {
            return Optional.of(new Static.Bool(equal(l, r) == (op == BinaryOperator.EQ)));
        }
        if (op.isOrdering()) {
            int c = compare(l, r);
            boolean result = switch (op) {
                case LT -> c < 0;
                case LTE -> c <= 0;
                case GT -> c > 0;
                default -> c >= 0;
            };
            return Optional.of(new Static.Bool(result));
        }
        return arithmetic(op, l, r);
    }

    private static boolean equal(Static l, Static r) {
        if (l.isNumeric() && r.isNumeric()) {
            return compareNumbers(l, r) == 0;
        }
        return l.equals(r);
    }

    private static int compare(Static l, Static r) {
        if (l instanceof Static.Str a && r instanceof Static.Str b) {
            return compareUtf8(a.value(), b.value());
        }
        return compareNumbers(l, r);
    }

    private static int compareNumbers(Static l, Static r) {
        // int and duration compare exactly as int64; anything with a float compares as double.
        if (l.type() != StaticType.FLOAT && r.type() != StaticType.FLOAT) {
            return Long.compare(longValue(l), longValue(r));
        }
        return Double.compare(l.asDouble(), r.asDouble());
    }

    private static long longValue(Static s) {
        return s instanceof Static.Int i ? i.value() : ((Static.Duration) s).nanos();
    }

    /** Byte-wise comparison of the UTF-8 forms, which is code point order (Go's string order). */
    private static int compareUtf8(String a, String b) {
        return io.vivace.model.Utf8.compare(a, b);
    }

    private static Optional<Static> arithmetic(BinaryOperator op, Static l, Static r) {
        if (l instanceof Static.Int a && r instanceof Static.Int b) {
            long x = a.value();
            long y = b.value();
            return switch (op) {
                case ADD -> Optional.of(new Static.Int(x + y));
                case SUB -> Optional.of(new Static.Int(x - y));
                case MUL -> Optional.of(new Static.Int(x * y));
                case DIV -> y == 0 ? Optional.empty() : Optional.of(new Static.Int(x / y));
                case MOD -> y == 0 ? Optional.empty() : Optional.of(new Static.Int(x % y));
                // Tempo quirk (spec 7.3): int ^ int has its operands swapped, 2 ^ 3 = 3^2 = 9.
                case POW -> Optional.of(new Static.Int((long) Math.pow(y, x)));
                default -> throw new IllegalArgumentException("not arithmetic: " + op);
            };
        }
        // Any float or duration operand makes the result a float (durations lose their type).
        double x = l.asDouble();
        double y = r.asDouble();
        double v = switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MOD -> x % y;
            case POW -> Math.pow(x, y);
            default -> throw new IllegalArgumentException("not arithmetic: " + op);
        };
        return Double.isFinite(v) ? Optional.of(new Static.Float(v)) : Optional.empty();
    }
}

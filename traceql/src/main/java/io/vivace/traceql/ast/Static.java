package io.vivace.traceql.ast;

import java.util.Objects;

/**
 * A literal value with its static type. Negative numbers are literals too: the parser folds
 * {@code -5} (unary minus on 5) into {@code Int(-5)}.
 */
public sealed interface Static extends FieldExpression, ScalarExpression {
    /** {@code true}; also the body of the empty filter {@code {}}. */
    Bool TRUE = new Bool(true);
    /** {@code false}. */
    Bool FALSE = new Bool(false);
    /** {@code nil}. */
    Nil NIL = new Nil();

    /** The static type of the value. */
    StaticType type();

    /** Whether the value is an int, float or duration. */
    default boolean isNumeric() {
        return type().isNumeric();
    }

    /**
     * The numeric value as a double (durations in nanoseconds).
     *
     * @throws IllegalStateException if the value is not numeric
     */
    default double asDouble() {
        return switch (this) {
            case Int i -> i.value();
            case Float f -> f.value();
            case Duration d -> d.nanos();
            default -> throw new IllegalStateException("not a number: " + this);
        };
    }

    /** A string literal ({@code "..."} or a back-quoted raw string). @param value the unescaped text */
    record Str(String value) implements Static {
        /** Checks the value is not null. */
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public StaticType type() {
            return StaticType.STRING;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** A 64-bit integer. @param value the value */
    record Int(long value) implements Static {
        @Override
        public StaticType type() {
            return StaticType.INT;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** A 64-bit float; never NaN or infinite (such results are not folded). @param value the value */
    record Float(double value) implements Static {
        @Override
        public StaticType type() {
            return StaticType.FLOAT;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** A boolean. @param value the value */
    record Bool(boolean value) implements Static {
        @Override
        public StaticType type() {
            return StaticType.BOOL;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** A duration. @param nanos the length in nanoseconds (may be negative after unary minus) */
    record Duration(long nanos) implements Static {
        @Override
        public StaticType type() {
            return StaticType.DURATION;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** A status keyword. @param value the status */
    record Status(SpanStatus value) implements Static {
        /** Checks the value is not null. */
        public Status {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public StaticType type() {
            return StaticType.STATUS;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** A kind keyword. @param value the kind */
    record Kind(SpanKind value) implements Static {
        /** Checks the value is not null. */
        public Kind {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public StaticType type() {
            return StaticType.KIND;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }

    /** {@code nil}: only legal as an operand of {@code =} or {@code !=} ("does not exist" / "exists"). */
    record Nil() implements Static {
        @Override
        public StaticType type() {
            return StaticType.NIL;
        }

        @Override
        public String toString() {
            return TraceQLPrinter.print(this);
        }
    }
}

package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.vivace.model.Utf8;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.SpanKind;
import io.vivace.traceql.ast.SpanStatus;
import io.vivace.traceql.ast.Static;
import java.util.ArrayList;
import java.util.List;

/**
 * Run-time values of the evaluator and Tempo's rules for comparing and combining them (traceql.md
 * §7.3–7.5).
 *
 * <p>A value is a plain Java object: {@code null} is nil, {@link Long} an int, {@link Double} a
 * float, {@link String}, {@link Boolean} (always the canonical {@code Boolean.TRUE}/{@code FALSE}
 * instances, so identity comparison works), {@link Dur} a duration, {@link SpanStatus}, {@link
 * SpanKind}, {@link Arr} an OTLP array attribute and {@link Opaque} a bytes or key-value-list
 * attribute (present, but equal to nothing).
 */
final class Values {
    private Values() {
    }

    /** A duration in nanoseconds (durations are not ints: {@code 1 = 1s} is false). */
    record Dur(long nanos) {
    }

    /** An OTLP array attribute: its scalar elements, and the original value for the response. */
    record Arr(AnyValue source, List<Object> elements) {
    }

    /** A bytes or kvlist attribute: exists, but compares with nothing. */
    record Opaque(AnyValue source) {
    }

    /** The value of an OTLP attribute; {@code null} for an unset value. */
    static Object of(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.valueOf(v.getBoolValue());
            case INT_VALUE -> Long.valueOf(v.getIntValue());
            case DOUBLE_VALUE -> Double.valueOf(v.getDoubleValue());
            case ARRAY_VALUE -> {
                ArrayValue array = v.getArrayValue();
                List<Object> elements = new ArrayList<>(array.getValuesCount());
                for (AnyValue e : array.getValuesList()) {
                    Object element = e.getValueCase() == AnyValue.ValueCase.ARRAY_VALUE ? new Opaque(e) : of(e);
                    if (element != null) {
                        elements.add(element);
                    }
                }
                yield new Arr(v, elements);
            }
            case BYTES_VALUE, KVLIST_VALUE -> new Opaque(v);
            default -> null; // unset (or a newer kind of value): nil
        };
    }

    /** The value of a literal. */
    static Object of(Static s) {
        return switch (s) {
            case Static.Str x -> x.value();
            case Static.Int x -> Long.valueOf(x.value());
            case Static.Float x -> Double.valueOf(x.value());
            case Static.Bool x -> Boolean.valueOf(x.value());
            case Static.Duration x -> new Dur(x.nanos());
            case Static.Status x -> x.value();
            case Static.Kind x -> x.value();
            case Static.Nil x -> null;
        };
    }

    /** OTLP status code to the TraceQL status (0 unset, 1 ok, 2 error; unknown codes read as unset). */
    static SpanStatus status(int code) {
        return switch (code) {
            case 1 -> SpanStatus.OK;
            case 2 -> SpanStatus.ERROR;
            default -> SpanStatus.UNSET;
        };
    }

    /** OTLP span kind to the TraceQL kind (unknown numbers read as unspecified). */
    static SpanKind kind(int kind) {
        return switch (kind) {
            case 1 -> SpanKind.INTERNAL;
            case 2 -> SpanKind.SERVER;
            case 3 -> SpanKind.CLIENT;
            case 4 -> SpanKind.PRODUCER;
            case 5 -> SpanKind.CONSUMER;
            default -> SpanKind.UNSPECIFIED;
        };
    }

    /** The type name used in error messages. */
    static String typeName(Object v) {
        return switch (v) {
            case null -> "nil";
            case Long l -> "int";
            case Double d -> "float";
            case String s -> "string";
            case Boolean b -> "bool";
            case Dur d -> "duration";
            case SpanStatus s -> "status";
            case SpanKind k -> "kind";
            case Arr a -> "array";
            case Opaque o -> o.source().getValueCase() == AnyValue.ValueCase.BYTES_VALUE ? "bytes" : "kvlist";
            default -> v.getClass().getSimpleName();
        };
    }

    static boolean isNumeric(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof Dur;
    }

    private static double asDouble(Object v) {
        return switch (v) {
            case Long l -> l;
            case Double d -> d;
            case Dur d -> d.nanos();
            default -> throw new IllegalArgumentException("not a number: " + v);
        };
    }

    private static long asLong(Object v) {
        return v instanceof Long l ? l : ((Dur) v).nanos();
    }

    /**
     * {@code l op r} for a comparison operator: false when either side is nil or the types do not
     * match; arrays compare element-wise with a scalar (§7.5).
     *
     * @param regex the compiled pattern of a regex operator (compiled from {@code r} when null)
     * @param text the expression, for error messages
     * @throws TraceQLExecutionException when both sides are arrays
     */
    static boolean compare(BinaryOperator op, Object l, Object r, RegexMatcher regex, String text) {
        if (l == null || r == null) {
            return false;
        }
        boolean leftArray = l instanceof Arr;
        boolean rightArray = r instanceof Arr;
        if (leftArray && rightArray) {
            throw new TraceQLExecutionException("array operators must consist of a scalar and an array operand: " + text);
        }
        if (leftArray || rightArray) {
            List<Object> elements = leftArray ? ((Arr) l).elements() : ((Arr) r).elements();
            Object scalar = leftArray ? r : l;
            // != and !~ mean "no element equals / matches"; the others "some element does".
            boolean all = op == BinaryOperator.NEQ || op == BinaryOperator.NOT_REGEX;
            for (Object e : elements) {
                boolean m = leftArray ? compareScalars(op, e, scalar, regex) : compareScalars(op, scalar, e, regex);
                if (all != m) {
                    return m;
                }
            }
            return all;
        }
        return compareScalars(op, l, r, regex);
    }

    /** Comparison of two non-nil, non-array values. */
    static boolean compareScalars(BinaryOperator op, Object l, Object r, RegexMatcher regex) {
        if (l instanceof String a && r instanceof String b) {
            return switch (op) {
                case EQ -> a.equals(b);
                case NEQ -> !a.equals(b);
                case LT -> Utf8.compare(a, b) < 0;
                case LTE -> Utf8.compare(a, b) <= 0;
                case GT -> Utf8.compare(a, b) > 0;
                case GTE -> Utf8.compare(a, b) >= 0;
                case REGEX -> (regex != null ? regex : RegexMatcher.compile(b)).matches(a);
                case NOT_REGEX -> !(regex != null ? regex : RegexMatcher.compile(b)).matches(a);
                default -> false;
            };
        }
        if (isNumeric(l) && isNumeric(r)) {
            if (l instanceof Double || r instanceof Double) {
                double x = asDouble(l);
                double y = asDouble(r);
                return switch (op) {
                    case EQ -> x == y;
                    case NEQ -> x != y;
                    case LT -> x < y;
                    case LTE -> x <= y;
                    case GT -> x > y;
                    case GTE -> x >= y;
                    default -> false;
                };
            }
            long x = asLong(l);
            long y = asLong(r);
            return switch (op) {
                case EQ -> x == y;
                case NEQ -> x != y;
                case LT -> x < y;
                case LTE -> x <= y;
                case GT -> x > y;
                case GTE -> x >= y;
                default -> false;
            };
        }
        if ((l instanceof Boolean && r instanceof Boolean) || (l instanceof SpanStatus && r instanceof SpanStatus)
                || (l instanceof SpanKind && r instanceof SpanKind)) {
            return switch (op) {
                case EQ -> l.equals(r);
                case NEQ -> !l.equals(r);
                default -> false;
            };
        }
        // Type mismatch, or bytes / kvlist: never true, not even for !=.
        return false;
    }

    /**
     * {@code l op r} for an arithmetic operator: nil when an operand is nil or not a number; int op
     * int stays int (with Tempo's swapped {@code ^}); anything with a float or duration is a float.
     *
     * @throws TraceQLExecutionException on integer division or modulo by zero, or an array operand
     */
    static Object arithmetic(BinaryOperator op, Object l, Object r, String text) {
        if (l == null || r == null) {
            return null;
        }
        if (l instanceof Arr || r instanceof Arr) {
            throw new TraceQLExecutionException("arithmetic on array values is not supported: " + text);
        }
        if (l instanceof Long a && r instanceof Long b) {
            long x = a;
            long y = b;
            return switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                case DIV -> {
                    if (y == 0) {
                        throw new TraceQLExecutionException("division by zero: " + text);
                    }
                    yield x / y;
                }
                case MOD -> {
                    if (y == 0) {
                        throw new TraceQLExecutionException("modulo by zero: " + text);
                    }
                    yield x % y;
                }
                // Tempo quirk (traceql.md §7.3): int ^ int has its operands swapped, 2 ^ 3 = 3² = 9.
                case POW -> (long) Math.pow(y, x);
                default -> throw new IllegalArgumentException("operator: " + op + " (expected: + - * / % ^)");
            };
        }
        if (!isNumeric(l) || !isNumeric(r)) {
            return null;
        }
        double x = asDouble(l);
        double y = asDouble(r);
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
            case MOD -> x % y;
            case POW -> Math.pow(x, y);
            default -> throw new IllegalArgumentException("operator: " + op + " (expected: + - * / % ^)");
        };
    }

    /**
     * Numeric order for {@code min()}/{@code max()}: ints and durations exactly, anything with a
     * float as doubles.
     */
    static int compareNumbers(Object a, Object b) {
        if (a instanceof Double || b instanceof Double) {
            return Double.compare(asDouble(a), asDouble(b));
        }
        return Long.compare(asLong(a), asLong(b));
    }

    /**
     * A value as an OTLP {@link AnyValue} for search responses: ints, floats, strings and bools as
     * themselves, durations as Go duration text ({@code "1.5s"}, as Tempo renders them), status
     * and kind as their keyword, arrays and bytes/kvlist as the original attribute value, nil as the
     * string {@code "nil"}.
     */
    static AnyValue toAnyValue(Object v) {
        return switch (v) {
            case null -> AnyValue.newBuilder().setStringValue("nil").build();
            case Long l -> AnyValue.newBuilder().setIntValue(l).build();
            case Double d -> AnyValue.newBuilder().setDoubleValue(d).build();
            case String s -> AnyValue.newBuilder().setStringValue(s).build();
            case Boolean b -> AnyValue.newBuilder().setBoolValue(b).build();
            case Dur d -> AnyValue.newBuilder().setStringValue(GoFormat.duration(d.nanos())).build();
            case SpanStatus s -> AnyValue.newBuilder().setStringValue(s.keyword()).build();
            case SpanKind k -> AnyValue.newBuilder().setStringValue(k.keyword()).build();
            case Arr a -> a.source();
            case Opaque o -> o.source();
            default -> throw new IllegalArgumentException("value: " + v + " (expected: a TraceQL value)");
        };
    }
}

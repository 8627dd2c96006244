package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.model.SpanIds;
import io.vivace.model.TraceId;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.TraceQLPrinter;
import io.vivace.traceql.ast.UnaryOperation;
import io.vivace.traceql.ast.UnaryOperator;

/**
 * A field expression compiled once per query into a tree of small evaluator nodes. Nodes are
 * immutable and thread-safe; all per-span state lives in the {@link EvalContext}.
 *
 * <p>Each node knows a few static facts used to skip work without changing results: whether it
 * always yields a boolean, whether it may throw (so {@code &&}/{@code ||} may skip a side only when
 * that side cannot fail the query), whether it may yield an array, and whether it reads event or
 * link fields (a filter iterates event/link bindings only then).
 */
abstract class Expr {
    /** Always yields {@code Boolean.TRUE} or {@code Boolean.FALSE} (or throws). */
    final boolean alwaysBool;
    /** May throw {@link TraceQLExecutionException}. */
    final boolean mayThrow;
    /** May yield an {@link Values.Arr}. */
    final boolean mayBeArray;
    /** Reads event fields (scoped, intrinsic, or unscoped attributes that may fall back to events). */
    final boolean usesEvents;
    /** Reads link fields. */
    final boolean usesLinks;

    Expr(boolean alwaysBool, boolean mayThrow, boolean mayBeArray, boolean usesEvents, boolean usesLinks) {
        this.alwaysBool = alwaysBool;
        this.mayThrow = mayThrow;
        this.mayBeArray = mayBeArray;
        this.usesEvents = usesEvents;
        this.usesLinks = usesLinks;
    }

    /** The value on the context's current span (null = nil). */
    abstract Object eval(EvalContext c);

    /** Whether the value is boolean true. */
    boolean test(EvalContext c) {
        return eval(c) == Boolean.TRUE;
    }

    // ---- compilation ---------------------------------------------------------------------------

    /**
     * Compiles a validated field expression.
     *
     * @throws IllegalArgumentException for {@code parent} references, which validation rejects
     */
    static Expr compile(FieldExpression e) {
        return switch (e) {
            case Static s -> new Const(Values.of(s));
            case Attribute a -> {
                if (a.parent()) {
                    throw new IllegalArgumentException("attribute: " + a + " (expected: no parent scope; not yet supported)");
                }
                yield new AttributeRef(a.scope(), a.name());
            }
            case IntrinsicField i -> new IntrinsicRef(i.intrinsic());
            case UnaryOperation u -> {
                Expr operand = compile(u.operand());
                String text = TraceQLPrinter.print(u);
                yield u.operator() == UnaryOperator.NOT ? new Not(operand, text) : new Negate(operand, text);
            }
            case BinaryOperation b -> binary(b);
        };
    }

    private static Expr binary(BinaryOperation b) {
        BinaryOperator op = b.operator();
        boolean leftNil = b.left() instanceof Static.Nil;
        boolean rightNil = b.right() instanceof Static.Nil;
        if (op.isEquality() && (leftNil || rightNil)) {
            if (leftNil && rightNil) {
                // nil "does not exist": nil = nil holds, nil != nil does not.
                return new Const(Boolean.valueOf(op == BinaryOperator.EQ));
            }
            return new Exists(compile(leftNil ? b.right() : b.left()), op == BinaryOperator.NEQ);
        }
        FieldExpression leftAst = b.left();
        FieldExpression rightAst = b.right();
        if (op.isComparison() && !op.isRegex()) {
            // trace:id and link:traceID compare as hex without leading zeros, on both sides.
            if (isStrippedId(leftAst) && rightAst instanceof Static.Str s) {
                rightAst = new Static.Str(EvalContext.stripLeadingZeros(s.value()));
            } else if (isStrippedId(rightAst) && leftAst instanceof Static.Str s) {
                leftAst = new Static.Str(EvalContext.stripLeadingZeros(s.value()));
            }
        }
        Expr left = compile(leftAst);
        Expr right = compile(rightAst);
        String text = TraceQLPrinter.print(b);
        if (op.isLogical()) {
            return new Logical(op, left, right);
        }
        if (op.isComparison()) {
            RegexMatcher regex = op.isRegex() && rightAst instanceof Static.Str s ? RegexMatcher.compile(s.value()) : null;
            return new Compare(op, left, right, regex, text);
        }
        return new Arithmetic(op, left, right, text);
    }

    private static boolean isStrippedId(FieldExpression e) {
        return e instanceof IntrinsicField i && (i.intrinsic() == Intrinsic.TRACE_ID || i.intrinsic() == Intrinsic.LINK_TRACE_ID);
    }

    // ---- nodes ---------------------------------------------------------------------------------

    /** A literal. */
    static final class Const extends Expr {
        final Object value;

        Const(Object value) {
            super(value instanceof Boolean, false, false, false, false);
            this.value = value;
        }

        @Override
        Object eval(EvalContext c) {
            return value;
        }
    }

    /** An attribute reference. */
    static final class AttributeRef extends Expr {
        final AttributeScope scope;
        final String name;

        AttributeRef(AttributeScope scope, String name) {
            super(false, false, true, scope == AttributeScope.EVENT || scope == AttributeScope.NONE,
                    scope == AttributeScope.LINK || scope == AttributeScope.NONE);
            this.scope = scope;
            this.name = name;
        }

        /** The OTLP value, or null when missing. */
        AnyValue raw(EvalContext c) {
            EvalSpan s = c.span;
            return switch (scope) {
                case SPAN -> EvalContext.find(s.span().getAttributesList(), name);
                case RESOURCE -> EvalContext.find(s.resource().getAttributesList(), name);
                case EVENT -> c.eventAttribute(name);
                case LINK -> c.linkAttribute(name);
                case INSTRUMENTATION -> EvalContext.find(s.scope().getAttributesList(), name);
                case NONE -> {
                    // Unscoped: the first hit in span, resource, event, link, instrumentation.
                    AnyValue v = EvalContext.find(s.span().getAttributesList(), name);
                    if (v == null) {
                        v = EvalContext.find(s.resource().getAttributesList(), name);
                    }
                    if (v == null) {
                        v = c.eventAttribute(name);
                    }
                    if (v == null) {
                        v = c.linkAttribute(name);
                    }
                    if (v == null) {
                        v = EvalContext.find(s.scope().getAttributesList(), name);
                    }
                    yield v;
                }
            };
        }

        @Override
        Object eval(EvalContext c) {
            AnyValue v = raw(c);
            return v == null ? null : Values.of(v);
        }
    }

    /** An intrinsic field. */
    static final class IntrinsicRef extends Expr {
        final Intrinsic intrinsic;

        IntrinsicRef(Intrinsic intrinsic) {
            super(false, false, false, intrinsic.level() == Intrinsic.Level.EVENT, intrinsic.level() == Intrinsic.Level.LINK);
            if (intrinsic == Intrinsic.PARENT) {
                throw new IllegalArgumentException("intrinsic: parent (expected: a supported intrinsic; parent is not yet supported)");
            }
            this.intrinsic = intrinsic;
        }

        /** Whether the field has a value on every span (numeric intrinsics never throw under unary minus). */
        boolean alwaysNumeric() {
            return switch (intrinsic) {
                case DURATION, CHILD_COUNT, TRACE_DURATION, NESTED_SET_LEFT, NESTED_SET_RIGHT, NESTED_SET_PARENT -> true;
                default -> false;
            };
        }

        @Override
        Object eval(EvalContext c) {
            EvalSpan s = c.span;
            Span span = s.span();
            return switch (intrinsic) {
                case NAME -> span.getName();
                case STATUS -> Values.status(span.getStatus().getCodeValue());
                case STATUS_MESSAGE -> span.getStatus().getMessage();
                case KIND -> Values.kind(span.getKindValue());
                case DURATION -> new Values.Dur(s.durationNanos());
                case SPAN_ID -> SpanIds.toHex(SpanIds.toLong(span.getSpanId()));
                case SPAN_PARENT_ID -> span.getParentSpanId().isEmpty() ? "" : SpanIds.toHex(SpanIds.toLong(span.getParentSpanId()));
                case CHILD_COUNT -> Long.valueOf(s.childCount());
                case TRACE_DURATION -> new Values.Dur(c.trace.durationNanos());
                case TRACE_ROOT_NAME -> c.trace.rootSpanName();
                case TRACE_ROOT_SERVICE -> c.trace.rootServiceName();
                case TRACE_ID -> c.strippedTraceId();
                case EVENT_NAME -> {
                    Span.Event e = c.currentEvent();
                    yield e == null ? null : e.getName();
                }
                case EVENT_TIME_SINCE_START -> {
                    Span.Event e = c.currentEvent();
                    yield e == null ? null : new Values.Dur(e.getTimeUnixNano() - span.getStartTimeUnixNano());
                }
                case LINK_TRACE_ID -> {
                    Span.Link l = c.currentLink();
                    yield l == null || l.getTraceId().isEmpty() ? null
                            : EvalContext.stripLeadingZeros(TraceId.fromByteString(l.getTraceId()).toHex());
                }
                case LINK_SPAN_ID -> {
                    Span.Link l = c.currentLink();
                    yield l == null || l.getSpanId().isEmpty() ? null : SpanIds.toHex(SpanIds.toLong(l.getSpanId()));
                }
                case INSTRUMENTATION_NAME -> s.scope().getName();
                case INSTRUMENTATION_VERSION -> s.scope().getVersion();
                case NESTED_SET_LEFT -> Long.valueOf(s.nestedSetLeft());
                case NESTED_SET_RIGHT -> Long.valueOf(s.nestedSetRight());
                case NESTED_SET_PARENT -> Long.valueOf(s.nestedSetParent());
                case PARENT -> throw new IllegalStateException("parent is rejected at compile time");
            };
        }
    }

    /** {@code x = nil} (wanted absent) or {@code x != nil} (wanted present). */
    static final class Exists extends Expr {
        final Expr operand;
        final boolean present;

        Exists(Expr operand, boolean present) {
            super(true, operand.mayThrow, false, operand.usesEvents, operand.usesLinks);
            this.operand = operand;
            this.present = present;
        }

        @Override
        Object eval(EvalContext c) {
            return Boolean.valueOf(test(c));
        }

        @Override
        boolean test(EvalContext c) {
            return (operand.eval(c) != null) == present;
        }
    }

    /** A comparison: {@code = != < <= > >= =~ !~}. */
    static final class Compare extends Expr {
        final BinaryOperator op;
        final Expr left;
        final Expr right;
        final RegexMatcher regex;
        final String text;

        Compare(BinaryOperator op, Expr left, Expr right, RegexMatcher regex, String text) {
            super(true, left.mayThrow || right.mayThrow || (left.mayBeArray && right.mayBeArray), false,
                    left.usesEvents || right.usesEvents, left.usesLinks || right.usesLinks);
            this.op = op;
            this.left = left;
            this.right = right;
            this.regex = regex;
            this.text = text;
        }

        @Override
        Object eval(EvalContext c) {
            return Boolean.valueOf(test(c));
        }

        @Override
        boolean test(EvalContext c) {
            Object l = left.eval(c);
            Object r = right.eval(c);
            return Values.compare(op, l, r, regex, text);
        }
    }

    /**
     * {@code &&} / {@code ||} with Tempo's strict rule: a nil or non-boolean operand makes the
     * result false, even {@code true || nil}. A side is skipped only when that cannot change the
     * result and it cannot throw.
     */
    static final class Logical extends Expr {
        final boolean and;
        final Expr left;
        final Expr right;

        Logical(BinaryOperator op, Expr left, Expr right) {
            super(true, left.mayThrow || right.mayThrow, false, left.usesEvents || right.usesEvents, left.usesLinks || right.usesLinks);
            this.and = op == BinaryOperator.AND;
            this.left = left;
            this.right = right;
        }

        @Override
        Object eval(EvalContext c) {
            return Boolean.valueOf(test(c));
        }

        @Override
        boolean test(EvalContext c) {
            Object l = left.eval(c);
            if (and) {
                if (l != Boolean.TRUE) {
                    if (right.mayThrow) {
                        right.eval(c);
                    }
                    return false;
                }
                return right.eval(c) == Boolean.TRUE;
            }
            if (l == Boolean.TRUE) {
                return right.alwaysBool && !right.mayThrow || right.eval(c) instanceof Boolean;
            }
            if (l == Boolean.FALSE) {
                return right.eval(c) == Boolean.TRUE;
            }
            if (right.mayThrow) {
                right.eval(c);
            }
            return false;
        }
    }

    /** Arithmetic: {@code + - * / % ^}. */
    static final class Arithmetic extends Expr {
        final BinaryOperator op;
        final Expr left;
        final Expr right;
        final String text;

        Arithmetic(BinaryOperator op, Expr left, Expr right, String text) {
            super(false, left.mayThrow || right.mayThrow || left.mayBeArray || right.mayBeArray || dividesByInt(op, right),
                    false, left.usesEvents || right.usesEvents, left.usesLinks || right.usesLinks);
            this.op = op;
            this.left = left;
            this.right = right;
            this.text = text;
        }

        private static boolean dividesByInt(BinaryOperator op, Expr right) {
            if (op != BinaryOperator.DIV && op != BinaryOperator.MOD) {
                return false;
            }
            return !(right instanceof Const k) || k.value instanceof Long n && n == 0;
        }

        @Override
        Object eval(EvalContext c) {
            Object l = left.eval(c);
            Object r = right.eval(c);
            return Values.arithmetic(op, l, r, text);
        }
    }

    /** {@code !x}: fails the query when x is not a boolean (nil included), as Tempo does. */
    static final class Not extends Expr {
        final Expr operand;
        final String text;

        Not(Expr operand, String text) {
            super(true, operand.mayThrow || !operand.alwaysBool, false, operand.usesEvents, operand.usesLinks);
            this.operand = operand;
            this.text = text;
        }

        @Override
        Object eval(EvalContext c) {
            Object v = operand.eval(c);
            if (v instanceof Boolean b) {
                return Boolean.valueOf(!b);
            }
            throw new TraceQLExecutionException("expression (" + text + ") expected a boolean, but got " + Values.typeName(v));
        }
    }

    /** {@code -x}: fails the query when x is not a number (nil included), as Tempo does. */
    static final class Negate extends Expr {
        final Expr operand;
        final String text;

        Negate(Expr operand, String text) {
            super(false, operand.mayThrow || !alwaysNumeric(operand), false, operand.usesEvents, operand.usesLinks);
            this.operand = operand;
            this.text = text;
        }

        private static boolean alwaysNumeric(Expr e) {
            return e instanceof Const k && Values.isNumeric(k.value) || e instanceof IntrinsicRef i && i.alwaysNumeric();
        }

        @Override
        Object eval(EvalContext c) {
            Object v = operand.eval(c);
            return switch (v) {
                case Long l -> -l;
                case Double d -> -d;
                case Values.Dur d -> new Values.Dur(-d.nanos());
                case null, default -> throw new TraceQLExecutionException(
                        "expression (" + text + ") expected a number, but got " + Values.typeName(v));
            };
        }
    }

    /** Compiles a field reference for reading values ({@code select()}, responses, tag values). */
    static Expr reference(FieldReference f) {
        return compile(f);
    }
}

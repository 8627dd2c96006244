package io.vivace.traceql.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints syntax trees back to TraceQL. Two styles:
 * <ul>
 *   <li>{@link #print} — canonical text with the fewest parentheses that keep the tree; it is what
 *       {@code toString()} of every node returns;</li>
 *   <li>{@link #printFullyParenthesized} — every operation of a field expression, every spanset
 *       operation and every arithmetic operation in its own parentheses, which makes precedence and
 *       associativity visible (used by the precedence corpus).</li>
 * </ul>
 * Both reparse to an equal tree. Parenthesisation follows the parser's rules exactly, including
 * the dangling-prefix cases: {@code -.a * 2} is {@code -(.a * 2)}, so the tree
 * {@code (-.a) * 2} prints with parentheses.
 */
public final class TraceQLPrinter {
    /** Precedence of an atom (literal, reference, parenthesised text). */
    private static final int ATOM = 100;

    private final boolean full;

    private TraceQLPrinter(boolean full) {
        this.full = full;
    }

    /** Canonical TraceQL text of any node, with minimal parentheses. */
    public static String print(Node node) {
        return new TraceQLPrinter(false).node(node);
    }

    /** TraceQL text of any node with every operation parenthesised. */
    public static String printFullyParenthesized(Node node) {
        return new TraceQLPrinter(true).node(node);
    }

    private String node(Node node) {
        return switch (node) {
            case Query q -> query(q);
            case Pipeline p -> stages(p);
            case MetricsPipeline m -> metricsPipeline(m);
            case MetricsMath m -> metrics(m.expression(), 0) + secondStages(m.secondStages());
            case SpansetExpression s -> spanset(s, 0);
            case PipelineStage s -> stage(s);
            case FieldExpression f -> field(f, 0);
            case ScalarExpression s -> scalar(s, 0);
            case MetricsExpression m -> metrics(m, 0);
            case MetricsFunction f -> metricsFunction(f);
            case SecondStage s -> secondStages(List.of(s)).strip();
            case Hints h -> hints(h).strip();
            case Hint h -> h.name() + " = " + staticValue(h.value());
        };
    }

    private String query(Query q) {
        String body = switch (q.body()) {
            case Pipeline p -> stages(p);
            case MetricsPipeline m -> metricsPipeline(m);
            case MetricsMath m -> metrics(m.expression(), 0) + secondStages(m.secondStages());
        };
        return body + hints(q.hints());
    }

    private String hints(Hints hints) {
        if (hints.isEmpty()) {
            return "";
        }
        return " with(" + hints.hints().stream()
                .map(h -> h.name() + " = " + staticValue(h.value()))
                .collect(Collectors.joining(", ")) + ")";
    }

    // ---- search pipelines --------------------------------------------------------------------

    private String stages(Pipeline p) {
        return p.stages().stream().map(this::stage).collect(Collectors.joining(" | "));
    }

    private String stage(PipelineStage stage) {
        return switch (stage) {
            case Pipeline p -> "(" + stages(p) + ")";
            case SpansetExpression s -> spanset(s, 0);
            case ScalarFilter f -> scalar(f.left(), 0) + " " + f.operator().symbol() + " " + scalar(f.right(), 0);
            case GroupBy g -> "by(" + field(g.expression(), 0) + ")";
            case Coalesce c -> "coalesce()";
            case Select s -> "select(" + s.fields().stream().map(f -> field(f, 0)).collect(Collectors.joining(", ")) + ")";
        };
    }

    /** Spanset operator precedence: && || = 1, structural = 2. */
    private static int precedence(SpansetOperator op) {
        return op.isLogical() ? 1 : 2;
    }

    private String spanset(SpansetExpression e, int context) {
        return spanset(e, context, startsWithPipeline(e));
    }

    /**
     * Prints a spanset expression. In a chain whose leftmost operand is a wrapped pipeline, Tempo
     * requires every operand to be parenthesised (spec 4.1), hence {@code parenLeaves}.
     */
    private String spanset(SpansetExpression e, int context, boolean parenLeaves) {
        return switch (e) {
            case SpansetFilter f -> parenLeaves ? "(" + filter(f) + ")" : filter(f);
            case Pipeline p -> "(" + stages(p) + ")";
            case SpansetOperation o -> {
                int prec = precedence(o.operator());
                String text = spanset(o.left(), prec, parenLeaves) + " " + o.operator().symbol() + " "
                        + spanset(o.right(), prec + 1, parenLeaves);
                yield full || prec < context ? "(" + text + ")" : text;
            }
        };
    }

    private static boolean startsWithPipeline(SpansetExpression e) {
        SpansetExpression leftmost = e;
        while (leftmost instanceof SpansetOperation o) {
            leftmost = o.left();
        }
        return leftmost instanceof Pipeline;
    }

    private String filter(SpansetFilter f) {
        if (f.expression().equals(Static.TRUE)) {
            return "{ }";
        }
        return "{ " + field(f.expression(), 0) + " }";
    }

    // ---- field expressions -------------------------------------------------------------------

    /**
     * Prints a field expression that appears where the parser would read an operand with at least
     * {@code context} precedence. A node binding looser than that gets parentheses.
     */
    private String field(FieldExpression e, int context) {
        return switch (e) {
            case Static s -> {
                String text = staticValue(s);
                boolean negative = text.startsWith("-");
                // A negative literal reads back as unary minus: it binds like prefix '-'.
                yield negative && (full || context > UnaryOperator.NEGATE.precedence()) ? "(" + text + ")" : text;
            }
            case Attribute a -> attribute(a);
            case IntrinsicField i -> i.intrinsic().canonicalName();
            case UnaryOperation u -> {
                int prec = u.operator().precedence();
                // The operand is read at the prefix operator's own precedence.
                String text = u.operator().symbol() + field(u.operand(), prec);
                yield full || context > prec ? "(" + text + ")" : text;
            }
            case BinaryOperation b -> {
                BinaryOperator op = b.operator();
                int prec = op.precedence();
                int leftContext = op.isRightAssociative() ? prec + 1 : prec;
                int rightContext = op.isRightAssociative() ? prec : prec + 1;
                String text = field(b.left(), leftContext) + " " + op.symbol() + " " + field(b.right(), rightContext);
                yield full || context > prec ? "(" + text + ")" : text;
            }
        };
    }

    /**
     * Prints an attribute reference, quoting the name when the bare form would not read back as the
     * same name.
     */
    static String attribute(Attribute a) {
        StringBuilder sb = new StringBuilder();
        if (a.parent()) {
            sb.append("parent.");
        }
        if (a.scope() != AttributeScope.NONE) {
            sb.append(a.scope().word()).append('.');
        } else if (!a.parent()) {
            sb.append('.');
        }
        sb.append(needsQuotes(a) ? quoteName(a.name()) : a.name());
        return sb.toString();
    }

    private static boolean needsQuotes(Attribute a) {
        String name = a.name();
        if (name.isEmpty()) {
            return true;
        }
        for (int i = 0; i < name.length(); i++) {
            if (" \t\r\n{}()=~!<>&|^,\"".indexOf(name.charAt(i)) >= 0) {
                return true;
            }
        }
        boolean unscoped = a.scope() == AttributeScope.NONE;
        if (unscoped && !a.parent() && Character.isDigit(name.charAt(0)) && name.charAt(0) < 128) {
            return true; // '.5' would read as a float
        }
        // 'parent.span.x' would read as a parent span attribute named x.
        return unscoped && a.parent() && (name.startsWith("span.") || name.startsWith("resource."));
    }

    private static String quoteName(String name) {
        return '"' + name.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Prints a literal as it must be written in TraceQL. */
    static String staticValue(Static s) {
        return switch (s) {
            case Static.Str str -> quoteString(str.value());
            case Static.Int i -> i.value() == Long.MIN_VALUE ? "minInt" : Long.toString(i.value());
            case Static.Float f -> floatText(f.value());
            case Static.Bool b -> Boolean.toString(b.value());
            case Static.Duration d -> durationText(d.nanos());
            case Static.Status st -> st.value().keyword();
            case Static.Kind k -> k.value().keyword();
            case Static.Nil n -> "nil";
        };
    }

    private static String floatText(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalStateException("TraceQL cannot express the float " + value);
        }
        return Double.toString(value); // always has '.' or 'E', so it reads back as a float
    }

    /** Quotes a string with the escapes Go's strconv accepts. */
    static String quoteString(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static final long[] UNIT_NANOS = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    private static final String[] UNIT_NAMES = {"h", "m", "s", "ms", "us", "ns"};

    /**
     * Prints a duration as components from hours down to nanoseconds ({@code 1h2m3s}, {@code 1s500ms}),
     * which both Go and Prometheus duration syntax read back exactly.
     */
    static String durationText(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        if (nanos == Long.MIN_VALUE) {
            // Cannot be negated; print the exact magnitude as 9223372036854775808ns.
            return "-9223372036854775808ns";
        }
        StringBuilder sb = new StringBuilder();
        long rest = Math.abs(nanos);
        if (nanos < 0) {
            sb.append('-');
        }
        for (int i = 0; i < UNIT_NANOS.length; i++) {
            long amount = rest / UNIT_NANOS[i];
            if (amount > 0) {
                sb.append(amount).append(UNIT_NAMES[i]);
                rest -= amount * UNIT_NANOS[i];
            }
        }
        return sb.toString();
    }

    // ---- scalar filters ----------------------------------------------------------------------

    private String scalar(ScalarExpression e, int context) {
        return switch (e) {
            // Outside {} unary minus binds tightest, so a negative constant never needs parentheses.
            case Static s -> scalarConstant(s);
            case Aggregate a -> aggregate(a);
            case PipelineAggregate p -> "(" + stages(p.pipeline()) + " | " + aggregate(p.aggregate()) + ")";
            case ScalarOperation o -> {
                BinaryOperator op = o.operator();
                int prec = op.precedence();
                int leftContext = op.isRightAssociative() ? prec + 1 : prec;
                int rightContext = op.isRightAssociative() ? prec : prec + 1;
                String text = scalar(o.left(), leftContext) + " " + op.symbol() + " " + scalar(o.right(), rightContext);
                yield full || context > prec ? "(" + text + ")" : text;
            }
        };
    }

    /**
     * A constant outside braces, where {@code minInt} is not a keyword: the smallest int is written
     * as arithmetic that folds back to it.
     */
    private static String scalarConstant(Static s) {
        if (s instanceof Static.Int i && i.value() == Long.MIN_VALUE) {
            return "(-9223372036854775807 - 1)";
        }
        return staticValue(s);
    }

    private String aggregate(Aggregate a) {
        return a.function().functionName() + "(" + (a.argument() == null ? "" : field(a.argument(), 0)) + ")";
    }

    // ---- metrics -----------------------------------------------------------------------------

    private String metricsPipeline(MetricsPipeline m) {
        return stages(m.pipeline()) + " | " + metricsFunction(m.function()) + secondStages(m.secondStages());
    }

    private String metricsFunction(MetricsFunction f) {
        return switch (f) {
            case MetricsAggregate a -> {
                StringBuilder sb = new StringBuilder(a.operation().functionName()).append('(');
                if (a.attribute() != null) {
                    sb.append(field(a.attribute(), 0));
                }
                for (double q : a.quantiles()) {
                    sb.append(", ").append(floatText(q));
                }
                sb.append(')');
                if (!a.by().isEmpty()) {
                    sb.append(" by (").append(a.by().stream().map(r -> field(r, 0)).collect(Collectors.joining(", "))).append(')');
                }
                yield sb.toString();
            }
            case Compare c -> {
                StringBuilder sb = new StringBuilder("compare(").append(filter(c.selection()));
                boolean window = c.start() != 0 || c.end() != 0;
                if (window || c.topN() != Compare.DEFAULT_TOP_N) {
                    sb.append(", ").append(c.topN());
                }
                if (window) {
                    sb.append(", ").append(c.start()).append(", ").append(c.end());
                }
                yield sb.append(')').toString();
            }
        };
    }

    private String secondStages(List<SecondStage> stages) {
        StringBuilder sb = new StringBuilder();
        for (SecondStage s : stages) {
            switch (s) {
                case TopK t -> sb.append(" | topk(").append(t.limit()).append(')');
                case BottomK b -> sb.append(" | bottomk(").append(b.limit()).append(')');
                case SeriesFilter f -> sb.append(' ').append(f.operator().symbol()).append(' ').append(scalarConstant(f.threshold()));
            }
        }
        return sb.toString();
    }

    private String metrics(MetricsExpression e, int context) {
        return switch (e) {
            case MetricsConstant c -> scalarConstant(c.value());
            case MetricsPipeline m -> "(" + metricsPipeline(m) + ")";
            case MetricsBinary b -> {
                int prec = b.operator().precedence();
                String text = metrics(b.left(), prec) + " " + b.operator().symbol() + " " + metrics(b.right(), prec + 1);
                yield full || context > prec ? "(" + text + ")" : text;
            }
        };
    }
}

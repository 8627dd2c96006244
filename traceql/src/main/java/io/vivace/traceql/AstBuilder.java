package io.vivace.traceql;

import io.vivace.traceql.ast.Aggregate;
import io.vivace.traceql.ast.AggregateFunction;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.BinaryOperator;
import io.vivace.traceql.ast.BottomK;
import io.vivace.traceql.ast.Coalesce;
import io.vivace.traceql.ast.Compare;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.GroupBy;
import io.vivace.traceql.ast.Hint;
import io.vivace.traceql.ast.Hints;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.MetricsAggregate;
import io.vivace.traceql.ast.MetricsBinary;
import io.vivace.traceql.ast.MetricsConstant;
import io.vivace.traceql.ast.MetricsExpression;
import io.vivace.traceql.ast.MetricsFunction;
import io.vivace.traceql.ast.MetricsMath;
import io.vivace.traceql.ast.MetricsOperation;
import io.vivace.traceql.ast.MetricsPipeline;
import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.PipelineAggregate;
import io.vivace.traceql.ast.PipelineStage;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.QueryBody;
import io.vivace.traceql.ast.ScalarExpression;
import io.vivace.traceql.ast.ScalarFilter;
import io.vivace.traceql.ast.ScalarOperation;
import io.vivace.traceql.ast.SecondStage;
import io.vivace.traceql.ast.Select;
import io.vivace.traceql.ast.SeriesFilter;
import io.vivace.traceql.ast.SpanKind;
import io.vivace.traceql.ast.SpanStatus;
import io.vivace.traceql.ast.SpansetExpression;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.SpansetOperation;
import io.vivace.traceql.ast.SpansetOperator;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.StaticType;
import io.vivace.traceql.ast.TopK;
import io.vivace.traceql.ast.UnaryOperation;
import io.vivace.traceql.ast.UnaryOperator;
import io.vivace.traceql.parser.TraceQLLexer;
import io.vivace.traceql.parser.TraceQLParser.AggregateBinaryContext;
import io.vivace.traceql.parser.TraceQLParser.AggregateCallContext;
import io.vivace.traceql.parser.TraceQLParser.AggregateContext;
import io.vivace.traceql.parser.TraceQLParser.AggregateExprContext;
import io.vivace.traceql.parser.TraceQLParser.AggregateNegateContext;
import io.vivace.traceql.parser.TraceQLParser.AggregateNumberContext;
import io.vivace.traceql.parser.TraceQLParser.AggregateParenContext;
import io.vivace.traceql.parser.TraceQLParser.AggregatePipelineContext;
import io.vivace.traceql.parser.TraceQLParser.AttributeReferenceContext;
import io.vivace.traceql.parser.TraceQLParser.ByListContext;
import io.vivace.traceql.parser.TraceQLParser.CoalesceStageContext;
import io.vivace.traceql.parser.TraceQLParser.FieldBinaryContext;
import io.vivace.traceql.parser.TraceQLParser.FieldExprContext;
import io.vivace.traceql.parser.TraceQLParser.FieldNegateContext;
import io.vivace.traceql.parser.TraceQLParser.FieldNilContext;
import io.vivace.traceql.parser.TraceQLParser.FieldNotContext;
import io.vivace.traceql.parser.TraceQLParser.FieldParenContext;
import io.vivace.traceql.parser.TraceQLParser.FieldRefContext;
import io.vivace.traceql.parser.TraceQLParser.FieldReferenceContext;
import io.vivace.traceql.parser.TraceQLParser.FieldStaticContext;
import io.vivace.traceql.parser.TraceQLParser.FieldUnknownIdentifierContext;
import io.vivace.traceql.parser.TraceQLParser.FilterContext;
import io.vivace.traceql.parser.TraceQLParser.GroupByStageContext;
import io.vivace.traceql.parser.TraceQLParser.HintContext;
import io.vivace.traceql.parser.TraceQLParser.HintsContext;
import io.vivace.traceql.parser.TraceQLParser.IntrinsicReferenceContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsBinaryContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsCompareContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsCountContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsExprContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsFunctionContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsMathQueryContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsNegateContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsNumberContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsOverAttributeContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsParenContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsQuantileContext;
import io.vivace.traceql.parser.TraceQLParser.MetricsWrappedContext;
import io.vivace.traceql.parser.TraceQLParser.NumberContext;
import io.vivace.traceql.parser.TraceQLParser.PipelineContext;
import io.vivace.traceql.parser.TraceQLParser.QuantileContext;
import io.vivace.traceql.parser.TraceQLParser.RootContext;
import io.vivace.traceql.parser.TraceQLParser.ScalarFilterContext;
import io.vivace.traceql.parser.TraceQLParser.ScalarFilterStageContext;
import io.vivace.traceql.parser.TraceQLParser.ScopedIntrinsicReferenceContext;
import io.vivace.traceql.parser.TraceQLParser.SearchQueryContext;
import io.vivace.traceql.parser.TraceQLParser.SecondStageContext;
import io.vivace.traceql.parser.TraceQLParser.SelectStageContext;
import io.vivace.traceql.parser.TraceQLParser.SeriesFilterContext;
import io.vivace.traceql.parser.TraceQLParser.SpansetExprContext;
import io.vivace.traceql.parser.TraceQLParser.SpansetFilterContext;
import io.vivace.traceql.parser.TraceQLParser.SpansetOperationContext;
import io.vivace.traceql.parser.TraceQLParser.SpansetParenContext;
import io.vivace.traceql.parser.TraceQLParser.SpansetStageContext;
import io.vivace.traceql.parser.TraceQLParser.StageContext;
import io.vivace.traceql.parser.TraceQLParser.StaticValueContext;
import io.vivace.traceql.parser.TraceQLParser.TopKContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Turns ANTLR's parse tree into the immutable syntax tree, and enforces the syntactic rules the
 * grammar leaves out (see {@code TraceQL.g4}): the wrapped-pipeline commitment rule (spec 4.1),
 * {@code nil} only beside {@code =}/{@code !=}, unknown identifiers, literal decoding and constant
 * folding with its parse-time errors. Violations are {@link TraceQLParseException}s at the token
 * concerned. Records the source position of the nodes it creates for validation messages.
 */
final class AstBuilder {
    private final Map<Object, SourcePosition> positions = new IdentityHashMap<>();

    /** Positions of the nodes built so far, by identity. */
    Map<Object, SourcePosition> positions() {
        return positions;
    }

    // ---- errors and positions ------------------------------------------------------------------

    static TraceQLParseException error(Token token, String detail) {
        String text = token.getType() == Token.EOF ? "" : token.getText();
        return new TraceQLParseException(detail, token.getLine(), token.getCharPositionInLine() + 1, text);
    }

    private <T> T at(T node, Token token) {
        positions.putIfAbsent(node, new SourcePosition(token.getLine(), token.getCharPositionInLine() + 1));
        return node;
    }

    // ---- query -------------------------------------------------------------------------------

    Query root(RootContext ctx) {
        return ctx.searchQuery() != null ? searchQuery(ctx.searchQuery()) : metricsMathQuery(ctx.metricsMathQuery());
    }

    Query searchQuery(SearchQueryContext ctx) {
        QueryBody body;
        if (ctx.metricsFunction() != null) {
            body = at(new MetricsPipeline(metricsInput(ctx.pipeline(), ctx.PIPE().getSymbol()),
                    metricsFunction(ctx.metricsFunction()), secondStages(ctx.secondStage())), ctx.getStart());
        } else {
            body = at(new Pipeline(pipeline(ctx.pipeline()).stages), ctx.getStart());
        }
        return new Query(body, hints(ctx.hints()));
    }

    Query metricsMathQuery(MetricsMathQueryContext ctx) {
        return new Query(metricsBody(ctx), hints(ctx.hints()));
    }

    /** Several with(...) clauses: the last one replaces the others (spec 9). */
    private Hints hints(List<HintsContext> clauses) {
        return clauses.isEmpty() ? Hints.NONE : hints(clauses.get(clauses.size() - 1));
    }

    private QueryBody metricsBody(MetricsMathQueryContext m) {
        MetricsExpression expression = metricsExpr(m.metricsExpr());
        List<SecondStage> stages = secondStages(m.secondStage());
        return switch (expression) {
            case MetricsConstant c -> throw error(m.getStart(),
                    "a query must be a spanset pipeline or a metrics query, not a constant");
            case MetricsPipeline p -> {
                // ({} | rate() | topk(2)) > 1 is the same as {} | rate() | topk(2) > 1.
                List<SecondStage> all = new ArrayList<>(p.secondStages());
                all.addAll(stages);
                yield at(new MetricsPipeline(p.pipeline(), p.function(), all), m.getStart());
            }
            case MetricsBinary b -> at(new MetricsMath(b, stages), m.getStart());
        };
    }

    private Hints hints(HintsContext ctx) {
        List<Hint> list = new ArrayList<>();
        for (HintContext h : ctx.hint()) {
            list.add(at(new Hint(h.IDENT().getText(), staticValue(h.staticValue())), h.getStart()));
        }
        return new Hints(list);
    }

    // ---- pipelines and the commitment rule ------------------------------------------------------

    /** The stages of a pipeline and whether its first stage is a pipeline expression (spec 4.1). */
    private record Stages(List<PipelineStage> stages, boolean headIsPipelineExpression) {
    }

    /**
     * A built spanset expression with what the commitment rule needs: whether its leftmost operand
     * is a wrapped pipeline, whether it was parenthesised, and facts about the other operands of the
     * chain it heads.
     */
    private record Piece(SpansetExpression expression, boolean pipelineFirst, boolean parenthesised,
                         boolean othersParenthesised, boolean othersHavePipeline) {
        static Piece leaf(SpansetExpression e, boolean pipeline, boolean parenthesised) {
            return new Piece(e, pipeline, parenthesised, true, false);
        }
    }

    Stages pipeline(PipelineContext ctx) {
        List<PipelineStage> stages = new ArrayList<>();
        boolean headIsPipelineExpression = false;
        List<StageContext> contexts = ctx.stage();
        for (int i = 0; i < contexts.size(); i++) {
            StageContext sc = contexts.get(i);
            PipelineStage stage = switch (sc) {
                case SpansetStageContext s -> {
                    Piece piece = chain(spanset(s.spansetExpr()), s.getStart());
                    if (i == 0) {
                        headIsPipelineExpression = piece.pipelineFirst();
                    } else if (piece.pipelineFirst()) {
                        throw error(s.getStart(), "a parenthesised pipeline cannot be a later pipeline stage");
                    }
                    yield piece.expression();
                }
                case ScalarFilterStageContext s -> scalarFilter(s.scalarFilter());
                case GroupByStageContext g -> at(new GroupBy(field(g.fieldExpr(), false)), g.getStart());
                case CoalesceStageContext c -> {
                    if (i == 0) {
                        throw error(c.getStart(), "coalesce() cannot be the first stage of a pipeline");
                    }
                    yield at(new Coalesce(), c.getStart());
                }
                case SelectStageContext s -> {
                    List<FieldReference> fields = new ArrayList<>();
                    s.fieldReference().forEach(f -> fields.add(fieldReference(f)));
                    yield at(new Select(fields), s.getStart());
                }
                default -> throw new IllegalStateException("unexpected stage " + sc.getClass());
            };
            stages.add(stage);
        }
        if (headIsPipelineExpression && stages.size() > 1) {
            throw error(ctx.PIPE(0).getSymbol(), "a parenthesised pipeline cannot be followed by '|'");
        }
        return new Stages(stages, headIsPipelineExpression);
    }

    /** The pipeline before {@code | rate()} or {@code | count()}: it may not be a pipeline expression. */
    private Pipeline metricsInput(PipelineContext ctx, Token pipe) {
        Stages stages = pipeline(ctx);
        if (stages.headIsPipelineExpression()) {
            throw error(pipe, "a parenthesised pipeline cannot be followed by '|'");
        }
        return at(new Pipeline(stages.stages()), ctx.getStart());
    }

    private Piece spanset(SpansetExprContext ctx) {
        return switch (ctx) {
            case SpansetFilterContext f -> Piece.leaf(filter(f.filter()), false, false);
            case SpansetParenContext p -> {
                Stages inner = pipeline(p.pipeline());
                if (inner.stages().size() == 1 && inner.stages().get(0) instanceof SpansetExpression e) {
                    // A parenthesised spanset expression: the parentheses leave no trace in the tree.
                    yield Piece.leaf(e, inner.headIsPipelineExpression(), true);
                }
                yield Piece.leaf(at(new Pipeline(inner.stages()), p.getStart()), true, true);
            }
            case SpansetOperationContext o -> {
                Piece l = spanset(o.spansetExpr(0));
                Piece r = spanset(o.spansetExpr(1));
                SpansetExpression e = at(new SpansetOperation(spansetOperator(o.op), l.expression(), r.expression()), o.op);
                yield new Piece(e, l.pipelineFirst(), l.parenthesised(),
                        l.othersParenthesised() && r.parenthesised() && r.othersParenthesised(),
                        l.othersHavePipeline() || r.pipelineFirst() || r.othersHavePipeline());
            }
            default -> throw new IllegalStateException("unexpected spanset expression " + ctx.getClass());
        };
    }

    /**
     * Applies Tempo's LALR commitment (spec 4.1) to a whole chain of spanset operators: if the
     * leftmost operand is a wrapped pipeline, every other operand must be parenthesised; otherwise
     * no operand may be a wrapped pipeline.
     */
    private static Piece chain(Piece piece, Token start) {
        if (piece.pipelineFirst() && !piece.othersParenthesised()) {
            throw error(start, "when a spanset operation starts with a parenthesised pipeline, every operand must be parenthesised");
        }
        if (!piece.pipelineFirst() && piece.othersHavePipeline()) {
            throw error(start, "a parenthesised pipeline can only be combined with spanset operators as the first operand");
        }
        return piece;
    }

    private static SpansetOperator spansetOperator(Token op) {
        return switch (op.getType()) {
            case TraceQLLexer.AND -> SpansetOperator.AND;
            case TraceQLLexer.OR -> SpansetOperator.OR;
            case TraceQLLexer.GT -> SpansetOperator.CHILD;
            case TraceQLLexer.LT -> SpansetOperator.PARENT;
            case TraceQLLexer.DESC -> SpansetOperator.DESCENDANT;
            case TraceQLLexer.ANCE -> SpansetOperator.ANCESTOR;
            case TraceQLLexer.TILDE -> SpansetOperator.SIBLING;
            case TraceQLLexer.NOT_CHILD -> SpansetOperator.NOT_CHILD;
            case TraceQLLexer.NOT_PARENT -> SpansetOperator.NOT_PARENT;
            case TraceQLLexer.NOT_DESC -> SpansetOperator.NOT_DESCENDANT;
            case TraceQLLexer.NOT_ANCE -> SpansetOperator.NOT_ANCESTOR;
            case TraceQLLexer.NRE -> SpansetOperator.NOT_SIBLING;
            case TraceQLLexer.UNION_CHILD -> SpansetOperator.UNION_CHILD;
            case TraceQLLexer.UNION_PARENT -> SpansetOperator.UNION_PARENT;
            case TraceQLLexer.UNION_DESC -> SpansetOperator.UNION_DESCENDANT;
            case TraceQLLexer.UNION_ANCE -> SpansetOperator.UNION_ANCESTOR;
            case TraceQLLexer.UNION_SIBLING -> SpansetOperator.UNION_SIBLING;
            default -> throw new IllegalStateException("unexpected spanset operator " + op.getText());
        };
    }

    SpansetFilter filter(FilterContext ctx) {
        if (ctx.fieldExpr() == null) {
            return at(new SpansetFilter(Static.TRUE), ctx.getStart());
        }
        return at(new SpansetFilter(field(ctx.fieldExpr(), false)), ctx.getStart());
    }

    // ---- scalar filters ----------------------------------------------------------------------

    private ScalarFilter scalarFilter(ScalarFilterContext ctx) {
        ScalarExpression left = aggregateExpr(ctx.aggregateExpr(0));
        ScalarExpression right = aggregateExpr(ctx.aggregateExpr(1));
        if (left instanceof Static && right instanceof Static) {
            throw error(ctx.getStart(), "a scalar filter must compare an aggregate such as count(), not two constants");
        }
        return at(new ScalarFilter(comparison(ctx.op), left, right), ctx.getStart());
    }

    private ScalarExpression aggregateExpr(AggregateExprContext ctx) {
        return switch (ctx) {
            case AggregateNegateContext n -> {
                ScalarExpression operand = aggregateExpr(n.aggregateExpr());
                if (!(operand instanceof Static s)) {
                    throw error(n.getStart(), "unary minus can only be applied to constants here");
                }
                yield ConstantFolder.negate(s);
            }
            case AggregateBinaryContext b -> {
                ScalarExpression l = aggregateExpr(b.aggregateExpr(0));
                ScalarExpression r = aggregateExpr(b.aggregateExpr(1));
                BinaryOperator op = arithmetic(b.op);
                if (l instanceof Static ls && r instanceof Static rs) {
                    yield foldScalar(op, ls, rs, b.op, false);
                }
                yield at(new ScalarOperation(op, l, r), b.op);
            }
            case AggregateParenContext p -> aggregateExpr(p.aggregateExpr());
            case AggregatePipelineContext p -> at(new PipelineAggregate(metricsInput(p.pipeline(), p.PIPE().getSymbol()),
                    aggregate(p.aggregate())), p.getStart());
            case AggregateCallContext c -> aggregate(c.aggregate());
            case AggregateNumberContext n -> number(n.number());
            default -> throw new IllegalStateException("unexpected scalar expression " + ctx.getClass());
        };
    }

    private Aggregate aggregate(AggregateContext ctx) {
        if (ctx.COUNT() != null) {
            return at(Aggregate.count(), ctx.getStart());
        }
        AggregateFunction function = switch (ctx.fn.getType()) {
            case TraceQLLexer.AVG -> AggregateFunction.AVG;
            case TraceQLLexer.MIN -> AggregateFunction.MIN;
            case TraceQLLexer.MAX -> AggregateFunction.MAX;
            default -> AggregateFunction.SUM;
        };
        return at(new Aggregate(function, field(ctx.fieldExpr(), false)), ctx.getStart());
    }

    private static Static number(NumberContext ctx) {
        Token t = ctx.getStart();
        return switch (t.getType()) {
            case TraceQLLexer.INT -> new Static.Int(decode(t, () -> Literals.integer(t.getText())));
            case TraceQLLexer.FLOAT -> new Static.Float(decode(t, () -> Literals.floating(t.getText())));
            default -> new Static.Duration(decode(t, () -> Literals.duration(t.getText())));
        };
    }

    /**
     * Folds constant arithmetic outside braces with run-time semantics (spec 6.3): only
     * {@code + - * /}; errors here are parse errors.
     */
    private static Static foldScalar(BinaryOperator op, Static l, Static r, Token at, boolean metricsMath) {
        if (op == BinaryOperator.MOD || op == BinaryOperator.POW) {
            throw error(at, "operator " + op.symbol() + " cannot be used between constants");
        }
        if (l.type() == StaticType.DURATION || r.type() == StaticType.DURATION) {
            throw error(at, metricsMath ? "duration cannot be used as a scalar operand in metric arithmetic"
                    : "duration cannot be used in scalar arithmetic");
        }
        if (op == BinaryOperator.DIV && r.asDouble() == 0) {
            throw error(at, "division by zero");
        }
        return ConstantFolder.apply(op, l, r).orElseThrow(() -> error(at, "constant out of range"));
    }

    // ---- metrics -----------------------------------------------------------------------------

    private MetricsExpression metricsExpr(MetricsExprContext ctx) {
        return switch (ctx) {
            case MetricsNegateContext n -> {
                MetricsExpression operand = metricsExpr(n.metricsExpr());
                if (!(operand instanceof MetricsConstant c)) {
                    throw error(n.getStart(), "unary minus cannot be applied to a metrics query; write -1 * (query)");
                }
                yield new MetricsConstant(ConstantFolder.negate(c.value()));
            }
            case MetricsBinaryContext b -> {
                MetricsExpression l = metricsExpr(b.metricsExpr(0));
                MetricsExpression r = metricsExpr(b.metricsExpr(1));
                BinaryOperator op = arithmetic(b.op);
                if (l instanceof MetricsConstant lc && r instanceof MetricsConstant rc) {
                    yield new MetricsConstant(foldScalar(op, lc.value(), rc.value(), b.op, true));
                }
                yield at(new MetricsBinary(op, l, r), b.op);
            }
            case MetricsParenContext p -> metricsExpr(p.metricsExpr());
            case MetricsWrappedContext w -> at(new MetricsPipeline(metricsInput(w.pipeline(), w.PIPE().getSymbol()),
                    metricsFunction(w.metricsFunction()), secondStages(w.secondStage())), w.getStart());
            case MetricsNumberContext n -> {
                Static value = number(n.number());
                if (value.type() == StaticType.DURATION) {
                    throw error(n.getStart(), "duration cannot be used as a scalar operand in metric arithmetic");
                }
                yield new MetricsConstant(value);
            }
            default -> throw new IllegalStateException("unexpected metrics expression " + ctx.getClass());
        };
    }

    /** The constant of a series filter such as {@code > 10}: lone durations are allowed there. */
    private Static threshold(MetricsExprContext ctx) {
        return switch (ctx) {
            case MetricsNegateContext n -> ConstantFolder.negate(threshold(n.metricsExpr()));
            case MetricsBinaryContext b -> foldScalar(arithmetic(b.op), threshold(b.metricsExpr(0)),
                    threshold(b.metricsExpr(1)), b.op, false);
            case MetricsParenContext p -> threshold(p.metricsExpr());
            case MetricsNumberContext n -> number(n.number());
            default -> throw error(ctx.getStart(), "a metrics filter must compare with a constant");
        };
    }

    private List<SecondStage> secondStages(List<SecondStageContext> contexts) {
        List<SecondStage> stages = new ArrayList<>();
        for (SecondStageContext ctx : contexts) {
            stages.add(switch (ctx) {
                case TopKContext t -> {
                    long k = decode(t.INT().getSymbol(), () -> Literals.integer(t.INT().getText()));
                    yield at(t.fn.getType() == TraceQLLexer.TOPK ? new TopK(k) : new BottomK(k), t.getStart());
                }
                case SeriesFilterContext f -> at(new SeriesFilter(comparison(f.op), threshold(f.metricsExpr())), f.getStart());
                default -> throw new IllegalStateException("unexpected second stage " + ctx.getClass());
            });
        }
        return stages;
    }

    private MetricsFunction metricsFunction(MetricsFunctionContext ctx) {
        return switch (ctx) {
            case MetricsCountContext c -> at(new MetricsAggregate(
                    c.fn.getType() == TraceQLLexer.RATE ? MetricsOperation.RATE : MetricsOperation.COUNT_OVER_TIME,
                    null, List.of(), by(c.byList())), c.getStart());
            case MetricsOverAttributeContext a -> {
                MetricsOperation op = switch (a.fn.getType()) {
                    case TraceQLLexer.MIN_OVER_TIME -> MetricsOperation.MIN_OVER_TIME;
                    case TraceQLLexer.MAX_OVER_TIME -> MetricsOperation.MAX_OVER_TIME;
                    case TraceQLLexer.SUM_OVER_TIME -> MetricsOperation.SUM_OVER_TIME;
                    case TraceQLLexer.AVG_OVER_TIME -> MetricsOperation.AVG_OVER_TIME;
                    default -> MetricsOperation.HISTOGRAM_OVER_TIME;
                };
                yield at(new MetricsAggregate(op, fieldReference(a.fieldReference()), List.of(), by(a.byList())), a.getStart());
            }
            case MetricsQuantileContext q -> {
                List<Double> quantiles = new ArrayList<>();
                for (QuantileContext qc : q.quantile()) {
                    Token t = qc.getStart();
                    quantiles.add(t.getType() == TraceQLLexer.INT
                            ? (double) decode(t, () -> Literals.integer(t.getText()))
                            : decode(t, () -> Literals.floating(t.getText())));
                }
                yield at(new MetricsAggregate(MetricsOperation.QUANTILE_OVER_TIME, fieldReference(q.fieldReference()),
                        quantiles, by(q.byList())), q.getStart());
            }
            case MetricsCompareContext c -> {
                long topN = c.topN == null ? Compare.DEFAULT_TOP_N : decode(c.topN, () -> Literals.integer(c.topN.getText()));
                long from = c.from == null ? 0 : decode(c.from, () -> Literals.integer(c.from.getText()));
                long to = c.to == null ? 0 : decode(c.to, () -> Literals.integer(c.to.getText()));
                yield at(new Compare(filter(c.filter()), topN, from, to), c.getStart());
            }
            default -> throw new IllegalStateException("unexpected metrics function " + ctx.getClass());
        };
    }

    private List<FieldReference> by(ByListContext ctx) {
        List<FieldReference> fields = new ArrayList<>();
        if (ctx != null) {
            ctx.fieldReference().forEach(f -> fields.add(fieldReference(f)));
        }
        return fields;
    }

    // ---- field expressions -------------------------------------------------------------------

    /**
     * Builds a field expression, folding literal-only operations.
     *
     * @param nilAllowed whether {@code nil} may stand here (only as an operand of {@code =}/{@code !=})
     */
    FieldExpression field(FieldExprContext ctx, boolean nilAllowed) {
        return switch (ctx) {
            case FieldBinaryContext b -> {
                BinaryOperator op = fieldOperator(b.op);
                FieldExpression l = field(b.fieldExpr(0), op.isEquality());
                FieldExpression r = field(b.fieldExpr(1), op.isEquality());
                FieldExpression folded = ConstantFolder.fold(op, l, r).orElse(null);
                yield at(folded != null ? folded : new BinaryOperation(op, l, r), b.op);
            }
            case FieldNotContext n -> unary(UnaryOperator.NOT, field(n.fieldExpr(), false), n.getStart());
            case FieldNegateContext n -> unary(UnaryOperator.NEGATE, field(n.fieldExpr(), false), n.getStart());
            case FieldParenContext p -> field(p.fieldExpr(), false);
            case FieldStaticContext s -> at(staticValue(s.staticValue()), s.getStart());
            case FieldNilContext n -> {
                if (!nilAllowed) {
                    throw error(n.getStart(), "nil can only be an operand of = or !=");
                }
                yield at(new Static.Nil(), n.getStart());
            }
            case FieldRefContext r -> fieldReference(r.fieldReference());
            case FieldUnknownIdentifierContext u -> throw error(u.getStart(), "unknown identifier: " + u.getText());
            default -> throw new IllegalStateException("unexpected field expression " + ctx.getClass());
        };
    }

    private FieldExpression unary(UnaryOperator op, FieldExpression operand, Token token) {
        FieldExpression folded = ConstantFolder.fold(op, operand).orElse(null);
        return at(folded != null ? folded : new UnaryOperation(op, operand), token);
    }

    private static Static staticValue(StaticValueContext ctx) {
        Token t = ctx.getStart();
        return switch (t.getType()) {
            case TraceQLLexer.STRING -> new Static.Str(decode(t, () -> Literals.doubleQuoted(t.getText())));
            case TraceQLLexer.RAW_STRING -> new Static.Str(Literals.rawString(t.getText()));
            case TraceQLLexer.INT -> new Static.Int(decode(t, () -> Literals.integer(t.getText())));
            case TraceQLLexer.FLOAT -> new Static.Float(decode(t, () -> Literals.floating(t.getText())));
            case TraceQLLexer.DURATION -> new Static.Duration(decode(t, () -> Literals.duration(t.getText())));
            case TraceQLLexer.TRUE -> new Static.Bool(true);
            case TraceQLLexer.FALSE -> new Static.Bool(false);
            case TraceQLLexer.OK -> new Static.Status(SpanStatus.OK);
            case TraceQLLexer.ERROR -> new Static.Status(SpanStatus.ERROR);
            case TraceQLLexer.UNSET -> new Static.Status(SpanStatus.UNSET);
            case TraceQLLexer.UNSPECIFIED -> new Static.Kind(SpanKind.UNSPECIFIED);
            case TraceQLLexer.INTERNAL -> new Static.Kind(SpanKind.INTERNAL);
            case TraceQLLexer.SERVER -> new Static.Kind(SpanKind.SERVER);
            case TraceQLLexer.CLIENT -> new Static.Kind(SpanKind.CLIENT);
            case TraceQLLexer.PRODUCER -> new Static.Kind(SpanKind.PRODUCER);
            case TraceQLLexer.CONSUMER -> new Static.Kind(SpanKind.CONSUMER);
            case TraceQLLexer.MIN_INT -> new Static.Int(Long.MIN_VALUE);
            case TraceQLLexer.MAX_INT -> new Static.Int(Long.MAX_VALUE);
            default -> throw new IllegalStateException("unexpected literal " + t.getText());
        };
    }

    FieldReference fieldReference(FieldReferenceContext ctx) {
        return switch (ctx) {
            case AttributeReferenceContext a -> at(attribute(a.ATTRIBUTE()), a.getStart());
            case IntrinsicReferenceContext i -> at(new IntrinsicField(intrinsic(i.word.getText(), i.word)), i.getStart());
            case ScopedIntrinsicReferenceContext s ->
                    at(new IntrinsicField(intrinsic(s.getStart().getText() + s.word.getText(), s.word)), s.getStart());
            default -> throw new IllegalStateException("unexpected field reference " + ctx.getClass());
        };
    }

    private static Intrinsic intrinsic(String spelling, Token token) {
        return Intrinsic.bySpelling(spelling).orElseThrow(() -> error(token, "unknown intrinsic: " + spelling));
    }

    /** Splits an ATTRIBUTE token into scope, parent flag and unescaped name (spec 2.7). */
    private static Attribute attribute(TerminalNode node) {
        Token token = node.getSymbol();
        String text = token.getText();
        AttributeScope scope;
        boolean parent = false;
        String rest;
        if (text.startsWith(".")) {
            scope = AttributeScope.NONE;
            rest = text.substring(1);
        } else {
            int dot = text.indexOf('.');
            String word = text.substring(0, dot);
            rest = text.substring(dot + 1);
            if (word.equals("parent")) {
                parent = true;
                scope = AttributeScope.NONE;
                // One nested span./resource. prefix, written unquoted, is part of the reference.
                if (rest.startsWith("span.")) {
                    scope = AttributeScope.SPAN;
                    rest = rest.substring(5);
                } else if (rest.startsWith("resource.")) {
                    scope = AttributeScope.RESOURCE;
                    rest = rest.substring(9);
                }
                if (rest.isEmpty()) {
                    throw error(token, "attribute name missing after '" + text + "'");
                }
            } else {
                scope = AttributeScope.valueOf(word.toUpperCase(java.util.Locale.ROOT));
            }
        }
        String name = rest;
        return new Attribute(scope, decode(token, () -> Literals.attributeName(name)), parent);
    }

    // ---- operators ---------------------------------------------------------------------------

    private static BinaryOperator fieldOperator(Token op) {
        return switch (op.getType()) {
            case TraceQLLexer.AND -> BinaryOperator.AND;
            case TraceQLLexer.OR -> BinaryOperator.OR;
            case TraceQLLexer.RE -> BinaryOperator.REGEX;
            case TraceQLLexer.NRE -> BinaryOperator.NOT_REGEX;
            case TraceQLLexer.EQ, TraceQLLexer.NEQ, TraceQLLexer.LT, TraceQLLexer.LTE, TraceQLLexer.GT,
                 TraceQLLexer.GTE -> comparison(op);
            default -> arithmetic(op);
        };
    }

    private static BinaryOperator comparison(Token op) {
        return switch (op.getType()) {
            case TraceQLLexer.EQ -> BinaryOperator.EQ;
            case TraceQLLexer.NEQ -> BinaryOperator.NEQ;
            case TraceQLLexer.LT -> BinaryOperator.LT;
            case TraceQLLexer.LTE -> BinaryOperator.LTE;
            case TraceQLLexer.GT -> BinaryOperator.GT;
            case TraceQLLexer.GTE -> BinaryOperator.GTE;
            default -> throw new IllegalStateException("not a comparison: " + op.getText());
        };
    }

    private static BinaryOperator arithmetic(Token op) {
        return switch (op.getType()) {
            case TraceQLLexer.PLUS -> BinaryOperator.ADD;
            case TraceQLLexer.MINUS -> BinaryOperator.SUB;
            case TraceQLLexer.STAR -> BinaryOperator.MUL;
            case TraceQLLexer.SLASH -> BinaryOperator.DIV;
            case TraceQLLexer.MOD -> BinaryOperator.MOD;
            case TraceQLLexer.POW -> BinaryOperator.POW;
            default -> throw new IllegalStateException("not arithmetic: " + op.getText());
        };
    }

    // ---- literal decoding --------------------------------------------------------------------

    private interface Decoder<T> {
        T decode();
    }

    private static <T> T decode(Token token, Decoder<T> decoder) {
        try {
            return decoder.decode();
        } catch (IllegalArgumentException e) {
            throw error(token, e.getMessage());
        }
    }
}

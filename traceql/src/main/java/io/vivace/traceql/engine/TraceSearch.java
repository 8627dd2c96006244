package io.vivace.traceql.engine;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.vivace.model.SpanIds;
import io.vivace.model.tempopb.ServiceStats;
import io.vivace.model.tempopb.SpanSet;
import io.vivace.model.tempopb.TraceSearchMetadata;
import io.vivace.traceql.ast.Aggregate;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.BinaryOperation;
import io.vivace.traceql.ast.Coalesce;
import io.vivace.traceql.ast.FieldExpression;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.GroupBy;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.Pipeline;
import io.vivace.traceql.ast.PipelineAggregate;
import io.vivace.traceql.ast.PipelineStage;
import io.vivace.traceql.ast.Query;
import io.vivace.traceql.ast.ScalarExpression;
import io.vivace.traceql.ast.ScalarFilter;
import io.vivace.traceql.ast.ScalarOperation;
import io.vivace.traceql.ast.Select;
import io.vivace.traceql.ast.SpansetFilter;
import io.vivace.traceql.ast.SpansetOperation;
import io.vivace.traceql.ast.Static;
import io.vivace.traceql.ast.UnaryOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * A prepared TraceQL search: the predicate sources prune with, and the exact evaluation of the
 * query on one trace. Immutable and thread-safe; prepare once per request, evaluate on many threads.
 *
 * <p>The query is compiled once into evaluator nodes ({@link Stage}, {@link Expr}); {@link
 * #evaluate} runs them over the trace's spans (traceql.md §7) and renders the surviving spansets as
 * Tempo's {@link TraceSearchMetadata}:
 * <ul>
 *   <li>each result span carries the values of the attributes the query reads (filters, {@code
 *       by()}, aggregate arguments, {@code select()}), keyed by attribute name without scope, plus
 *       the span-level intrinsics it reads other than name and duration ({@code status} as the
 *       string {@code "error"}, {@code kind} as {@code "server"}, ...); missing values are left out;</li>
 *   <li>spanset attributes are the {@code by()} keys and aggregate values, named after their text
 *       ({@code by(resource.service.name)}, {@code count()}); ints are {@code intValue}, floats
 *       {@code doubleValue}, durations Go duration text ({@code "1.5s"}) as Tempo renders them, a nil
 *       {@code by()} key the string {@code "nil"}.</li>
 * </ul>
 */
public final class TraceSearch {
    /** Intrinsics the response already carries elsewhere (Tempo leaves them out of span attributes). */
    private static final Set<Intrinsic> NOT_IN_ATTRIBUTES = Set.of(Intrinsic.NAME, Intrinsic.DURATION, Intrinsic.TRACE_DURATION,
            Intrinsic.TRACE_ROOT_NAME, Intrinsic.TRACE_ROOT_SERVICE, Intrinsic.TRACE_ID, Intrinsic.SPAN_ID);

    /** OTLP's STATUS_CODE_ERROR. */
    private static final int ERROR_CODE = 2;

    private final Stage pipeline;
    private final TracePredicate predicate;
    private final boolean mostRecent;
    private final SearchOptions options;
    private final List<OutputField> outputFields;

    /** A field returned on result spans. */
    private record OutputField(String key, Expr expr) {
    }

    private TraceSearch(Query query, Pipeline body, SearchOptions options) {
        this.pipeline = Stage.of(body);
        this.predicate = TracePredicate.of(query);
        this.mostRecent = query.hints().bool("most_recent").orElse(false);
        this.options = options;
        Set<FieldReference> fields = new LinkedHashSet<>();
        collect(body, fields);
        List<OutputField> out = new ArrayList<>();
        for (FieldReference f : fields) {
            switch (f) {
                case Attribute a -> out.add(new OutputField(a.name(), Expr.compile(a)));
                case IntrinsicField i -> {
                    if (!NOT_IN_ATTRIBUTES.contains(i.intrinsic())) {
                        out.add(new OutputField(i.intrinsic().canonicalName(), Expr.compile(i)));
                    }
                }
            }
        }
        this.outputFields = List.copyOf(out);
    }

    /**
     * Prepares a validated search query.
     *
     * @throws IllegalArgumentException when {@code query} is a metrics query
     */
    public static TraceSearch prepare(Query query, SearchOptions options) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(options, "options");
        if (!(query.body() instanceof Pipeline p)) {
            throw new IllegalArgumentException("query: " + query + " (expected: a search query, not a metrics query)");
        }
        return new TraceSearch(query, p, options);
    }

    /** The predicate a source may prune with. */
    public TracePredicate predicate() {
        return predicate;
    }

    /** The fetch request for a time range. */
    public FetchRequest request(long startNanos, long endNanos, BooleanSupplier cancelled) {
        return new FetchRequest(predicate(), startNanos, endNanos, cancelled);
    }

    /** Whether the query asks for the newest traces first ({@code with(most_recent=true)}). */
    public boolean mostRecent() {
        return mostRecent;
    }

    /** The options this search was prepared with. */
    public SearchOptions options() {
        return options;
    }

    /**
     * Evaluates the query on one trace.
     *
     * @return the search result for the trace, empty when no spanset survives
     * @throws TraceQLExecutionException when the query fails on this data
     */
    public Optional<TraceSearchMetadata> evaluate(EvalTrace trace) {
        if (trace.spans().isEmpty() || !durationAccepted(trace.durationNanos())) {
            return Optional.empty();
        }
        EvalContext c = new EvalContext(trace);
        Spanset all = new Spanset(trace.spanArray(), List.of());
        List<Spanset> result = pipeline.apply(List.of(all), c);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(render(trace, result, c));
    }

    private boolean durationAccepted(long nanos) {
        return (options.minDurationNanos() == 0 || nanos >= options.minDurationNanos())
                && (options.maxDurationNanos() == 0 || nanos <= options.maxDurationNanos());
    }

    private TraceSearchMetadata render(EvalTrace trace, List<Spanset> spansets, EvalContext c) {
        TraceSearchMetadata.Builder b = TraceSearchMetadata.newBuilder()
                .setTraceID(trace.id().toTrimmedHex())
                .setRootServiceName(Objects.requireNonNullElse(trace.rootServiceName(), ""))
                .setRootTraceName(Objects.requireNonNullElse(trace.rootSpanName(), ""))
                .setStartTimeUnixNano(trace.startNanos())
                .setDurationMs((int) Math.min(Math.max(trace.durationNanos(), 0) / 1_000_000L, 0xFFFF_FFFFL));
        for (Spanset ss : spansets) {
            b.addSpanSets(render(ss, c));
        }
        b.setSpanSet(b.getSpanSets(0));
        // Spans share their resource's message: look each resource's service name up once.
        Map<String, int[]> stats = new LinkedHashMap<>();
        List<Resource> resources = new ArrayList<>(4);
        List<int[]> countsOfResource = new ArrayList<>(4);
        for (EvalSpan s : trace.spanArray()) {
            int r = indexOfIdentical(resources, s.resource());
            if (r < 0) {
                String service = EvalTrace.serviceName(s);
                resources.add(s.resource());
                countsOfResource.add(service == null ? null : stats.computeIfAbsent(service, k -> new int[2]));
                r = resources.size() - 1;
            }
            int[] counts = countsOfResource.get(r);
            if (counts == null) {
                continue;
            }
            counts[0]++;
            if (s.span().getStatus().getCodeValue() == ERROR_CODE) {
                counts[1]++;
            }
        }
        stats.forEach((service, counts) -> b.putServiceStats(service,
                ServiceStats.newBuilder().setSpanCount(counts[0]).setErrorCount(counts[1]).build()));
        return b.build();
    }

    private static int indexOfIdentical(List<Resource> list, Resource r) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == r) {
                return i;
            }
        }
        return -1;
    }

    private SpanSet render(Spanset ss, EvalContext c) {
        SpanSet.Builder b = SpanSet.newBuilder().setMatched(ss.spans.length);
        int limit = options.spansPerSpanSet() == 0 ? ss.spans.length : Math.min(ss.spans.length, options.spansPerSpanSet());
        for (int i = 0; i < limit; i++) {
            b.addSpans(render(ss.spans[i], c));
        }
        for (Spanset.Attr a : ss.attributes) {
            b.addAttributes(KeyValue.newBuilder().setKey(a.name()).setValue(Values.toAnyValue(a.value())));
        }
        return b.build();
    }

    private io.vivace.model.tempopb.Span render(EvalSpan s, EvalContext c) {
        io.vivace.model.tempopb.Span.Builder b = io.vivace.model.tempopb.Span.newBuilder()
                .setSpanID(SpanIds.toHex(SpanIds.toLong(s.span().getSpanId())))
                .setName(s.span().getName())
                .setStartTimeUnixNano(s.startNanos())
                .setDurationNanos(Math.max(s.durationNanos(), 0));
        List<KeyValue> added = new ArrayList<>(outputFields.size());
        c.bind(s);
        for (OutputField f : outputFields) {
            AnyValue v;
            if (f.expr() instanceof Expr.AttributeRef ref) {
                v = ref.raw(c);
            } else {
                Object value = f.expr().eval(c);
                v = value == null ? null : Values.toAnyValue(value);
            }
            if (v == null) {
                continue;
            }
            KeyValue kv = KeyValue.newBuilder().setKey(f.key()).setValue(v).build();
            if (!added.contains(kv)) {
                added.add(kv);
                b.addAttributes(kv);
            }
        }
        return b.build();
    }

    // ---- fields the response reports -----------------------------------------------------------

    private static void collect(PipelineStage stage, Set<FieldReference> out) {
        switch (stage) {
            case SpansetFilter f -> collect(f.expression(), out);
            case SpansetOperation o -> {
                collect(o.left(), out);
                collect(o.right(), out);
            }
            case Pipeline p -> p.stages().forEach(s -> collect(s, out));
            case ScalarFilter f -> {
                collect(f.left(), out);
                collect(f.right(), out);
            }
            case GroupBy g -> collect(g.expression(), out);
            case Select s -> out.addAll(s.fields());
            case Coalesce c -> {
                // No fields.
            }
        }
    }

    private static void collect(ScalarExpression e, Set<FieldReference> out) {
        switch (e) {
            case Aggregate a -> {
                if (a.argument() != null) {
                    collect(a.argument(), out);
                }
            }
            case ScalarOperation o -> {
                collect(o.left(), out);
                collect(o.right(), out);
            }
            case PipelineAggregate p -> {
                collect(p.pipeline(), out);
                collect(p.aggregate(), out);
            }
            case Static s -> {
                // No fields.
            }
        }
    }

    private static void collect(FieldExpression e, Set<FieldReference> out) {
        switch (e) {
            case FieldReference f -> out.add(f);
            case UnaryOperation u -> collect(u.operand(), out);
            case BinaryOperation b -> {
                collect(b.left(), out);
                collect(b.right(), out);
            }
            case Static s -> {
                // No fields.
            }
        }
    }
}

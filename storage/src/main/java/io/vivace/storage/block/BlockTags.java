package io.vivace.storage.block;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.vivace.traceql.ast.Attribute;
import io.vivace.traceql.ast.AttributeScope;
import io.vivace.traceql.ast.FieldReference;
import io.vivace.traceql.ast.Intrinsic;
import io.vivace.traceql.ast.IntrinsicField;
import io.vivace.traceql.ast.SpanKind;
import io.vivace.traceql.engine.FetchStats;
import io.vivace.traceql.engine.GoFormat;
import io.vivace.traceql.engine.TagRequest;
import io.vivace.traceql.engine.TagValue;
import io.vivace.traceql.engine.TraceSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;

/**
 * Tag names and values of a block without a filter, read from the few columns that hold them, with
 * the engine's rules ({@code SpanTags}): a dedicated column's presence comes from the message
 * metadata (its null count), generic keys from the {@code key} child of the attribute lists and
 * their dictionary; an attribute's values are per span (event, link) the first attribute with the
 * key (all five scopes for an unscoped name), typed {@code string}, {@code int}, {@code float} (Go
 * text, {@code .0} added to whole numbers) or {@code bool}, array elements included, kvlists and
 * bytes left out; intrinsics without empty strings; status and kind as {@code keyword}s from the
 * index's masks. Batches are chosen by the request's time range at batch level (a superset: tag
 * answers are suggestions).
 */
final class BlockTags {
    private BlockTags() {}

    /** Whether {@link #values} answers for {@code tag} (otherwise the engine's generic path does). */
    static boolean supports(FieldReference tag) {
        return switch (tag) {
            case null -> false;
            case Attribute a -> !a.parent();
            case IntrinsicField f -> switch (f.intrinsic()) {
                case NAME, STATUS, KIND, STATUS_MESSAGE, TRACE_ROOT_NAME, TRACE_ROOT_SERVICE, INSTRUMENTATION_NAME,
                        INSTRUMENTATION_VERSION, EVENT_NAME -> true;
                default -> false;
            };
        };
    }

    /** An attribute list and the scope its keys belong to. */
    private record ListSource(AttributeScope scope, String column, SpanConditions.Nesting nesting) {
        String dictionary() {
            return SpanColumns.dictionaryOf(column);
        }
    }

    private static ListSource list(AttributeScope scope) {
        return switch (scope) {
            case SPAN -> new ListSource(scope, SpanColumns.SPAN_ATTRIBUTES, SpanConditions.Nesting.ROW);
            case RESOURCE -> new ListSource(scope, SpanColumns.RESOURCE_ATTRIBUTES, SpanConditions.Nesting.ROW);
            case INSTRUMENTATION -> new ListSource(scope, SpanColumns.SCOPE_ATTRIBUTES, SpanConditions.Nesting.ROW);
            case EVENT -> new ListSource(scope, SpanColumns.EVENTS, SpanConditions.Nesting.EVENTS);
            case LINK -> new ListSource(scope, SpanColumns.LINKS, SpanConditions.Nesting.LINKS);
            case NONE -> throw new IllegalArgumentException("scope: NONE (expected: a concrete scope)");
        };
    }

    private static boolean overlaps(TagRequest request, BlockIndex.Batch b) {
        return (request.endNanos() == 0 || b.minStartTimeUnixNano() <= request.endNanos())
                && (request.startNanos() == 0 || b.maxEndTimeUnixNano() >= request.startNanos());
    }

    /** Streams the attribute names of the requested scopes in batches {@code [from, to)}. */
    static void names(BlockReader reader, BlockIndex idx, int from, int to, TagRequest request, FetchStats stats,
            TraceSource.TagNameSink sink) throws IOException {
        Map<AttributeScope, Set<String>> seen = new EnumMap<>(AttributeScope.class);
        List<ListSource> lists = new ArrayList<>();
        for (AttributeScope s : AttributeScope.values()) {
            if (request.scopes().contains(s)) {
                seen.put(s, new HashSet<>());
                lists.add(list(s));
            }
        }
        try (BufferAllocator alloc = reader.childAllocator()) {
            for (int b = from; b < to; b++) {
                BlockIndex.Batch batch = idx.batches().get(b);
                if (request.cancelled().getAsBoolean()) {
                    return;
                }
                if (!overlaps(request, batch)) {
                    continue;
                }
                stats.addTraces(batch.traces());
                stats.addSpans(batch.rows());
                try (SearchBatch sb = new SearchBatch(new BatchBytes(reader, idx, b, stats::addBytes), alloc)) {
                    TreeSet<String> dictionaries = new TreeSet<>();
                    lists.forEach(l -> dictionaries.add(l.dictionary()));
                    sb.loadDictionaries(dictionaries);
                    for (SpanColumns.Dedicated d : SpanColumns.DEDICATED) {
                        AttributeScope scope = d.resource() ? AttributeScope.RESOURCE : AttributeScope.SPAN;
                        if (seen.containsKey(scope) && sb.nullCount(d.column()) < sb.rows() && seen.get(scope).add(d.key())
                                && !sink.accept(scope, d.key())) {
                            return;
                        }
                    }
                    ColumnSelection fields = new ColumnSelection();
                    List<ListSource> read = new ArrayList<>();
                    for (ListSource l : lists) {
                        if (sb.dictionary(l.dictionary()).size() > 0) { // no string at all: no key either
                            fields.paths(l.column(), l.nesting().path(SpanColumns.ATTR_KEY));
                            read.add(l);
                        }
                    }
                    if (read.isEmpty()) {
                        continue;
                    }
                    sb.loadData(fields);
                    for (ListSource l : read) {
                        IntVector keys = struct(sb, l).getChild(SpanColumns.ATTR_KEY, IntVector.class);
                        BitSet codes = new BitSet();
                        for (int e = 0, n = keys.getValueCount(); e < n; e++) {
                            codes.set(keys.getDataBuffer().getInt((long) e * 4));
                        }
                        DictionaryColumn dictionary = sb.dictionary(l.dictionary());
                        for (int c = codes.nextSetBit(0); c >= 0; c = codes.nextSetBit(c + 1)) {
                            String name = dictionary.value(c).toStringUtf8();
                            if (seen.get(l.scope()).add(name) && !sink.accept(l.scope(), name)) {
                                return;
                            }
                        }
                    }
                }
            }
        }
    }

    private static StructVector struct(SearchBatch sb, ListSource l) {
        return (StructVector) l.nesting().attributes(sb.vector(l.column())).getDataVector();
    }

    /** Deduplicates values and remembers when the sink asked to stop. */
    private static final class Emitter {
        private final TraceSource.TagValueSink sink;
        private final Set<TagValue> seen = new HashSet<>();
        boolean stopped;

        Emitter(TraceSource.TagValueSink sink) {
            this.sink = sink;
        }

        void accept(String type, String value) {
            TagValue v = new TagValue(type, value);
            if (!stopped && seen.add(v) && !sink.accept(v)) {
                stopped = true;
            }
        }
    }

    /** Streams the values of {@code request.tag()} (which {@link #supports}) in batches {@code [from, to)}. */
    static void values(BlockReader reader, BlockIndex idx, int from, int to, TagRequest request, FetchStats stats,
            TraceSource.TagValueSink sink) throws IOException {
        Emitter out = new Emitter(sink);
        FieldReference tag = request.tag();
        if (tag instanceof IntrinsicField f && (f.intrinsic() == Intrinsic.STATUS || f.intrinsic() == Intrinsic.KIND)) {
            boolean status = f.intrinsic() == Intrinsic.STATUS;
            int mask = 0;
            for (int b = from; b < to; b++) {
                BlockIndex.Batch batch = idx.batches().get(b);
                if (overlaps(request, batch)) {
                    mask |= status ? batch.statusMask() : batch.kindMask();
                }
            }
            for (int bit = 0; bit < 8; bit++) {
                if ((mask & (1 << bit)) != 0) {
                    out.accept("keyword", status ? statusKeyword(bit) : kindKeyword(bit));
                }
            }
            return;
        }
        try (BufferAllocator alloc = reader.childAllocator()) {
            for (int b = from; b < to && !out.stopped; b++) {
                BlockIndex.Batch batch = idx.batches().get(b);
                if (request.cancelled().getAsBoolean()) {
                    return;
                }
                if (!overlaps(request, batch)) {
                    continue;
                }
                stats.addTraces(batch.traces());
                stats.addSpans(batch.rows());
                try (SearchBatch sb = new SearchBatch(new BatchBytes(reader, idx, b, stats::addBytes), alloc)) {
                    switch (tag) {
                        case IntrinsicField f -> intrinsicValues(sb, f, out);
                        case Attribute a -> attributeValues(sb, a, out);
                    }
                }
            }
        }
    }

    /** The keyword of mask bit {@code bit} (OTLP number 0..6, 7: any other), as the engine reads unknown numbers. */
    private static String statusKeyword(int bit) {
        return switch (bit) {
            case 1 -> "ok";
            case 2 -> "error";
            default -> "unset";
        };
    }

    private static String kindKeyword(int bit) {
        return bit >= 1 && bit <= 5 ? SpanKind.values()[bit].keyword() : SpanKind.UNSPECIFIED.keyword();
    }

    private static void intrinsicValues(SearchBatch sb, IntrinsicField f, Emitter out) throws IOException {
        String column = switch (f.intrinsic()) {
            case NAME -> SpanColumns.NAME;
            case STATUS_MESSAGE -> SpanColumns.STATUS_MESSAGE;
            case TRACE_ROOT_NAME -> SpanColumns.TRACE_ROOT_NAME;
            case TRACE_ROOT_SERVICE -> SpanColumns.TRACE_ROOT_SERVICE;
            case INSTRUMENTATION_NAME -> SpanColumns.SCOPE_NAME;
            case INSTRUMENTATION_VERSION -> SpanColumns.SCOPE_VERSION;
            case EVENT_NAME -> SpanColumns.EVENTS;
            default -> throw new IllegalArgumentException("tag: " + f + " (expected: a tag BlockTags supports)");
        };
        String dictionaryName = SpanColumns.dictionaryOf(column);
        sb.loadDictionaries(new TreeSet<>(List.of(dictionaryName)));
        DictionaryColumn dictionary = sb.dictionary(dictionaryName);
        if (dictionary.size() == 0) {
            return;
        }
        BitSet codes = new BitSet();
        if (column.equals(SpanColumns.EVENTS)) {
            sb.loadData(new ColumnSelection().paths(column, "event." + SpanColumns.EVENT_NAME));
            ListVector events = sb.vector(column);
            IntVector names = ((StructVector) events.getDataVector()).getChild(SpanColumns.EVENT_NAME, IntVector.class);
            for (int e = 0, n = names.getValueCount(); e < n; e++) {
                codes.set(names.getDataBuffer().getInt((long) e * 4));
            }
        } else {
            if (sb.nullCount(column) == sb.rows()) {
                return;
            }
            sb.loadData(new ColumnSelection().whole(column));
            collectCodes(sb.vector(column), codes);
        }
        emitStrings(dictionary, codes, out, true); // the engine leaves out empty intrinsic strings
    }

    private static void collectCodes(IntVector v, BitSet codes) {
        boolean nullable = v.getNullCount() > 0;
        for (int r = 0, n = v.getValueCount(); r < n; r++) {
            if (!nullable || !v.isNull(r)) {
                codes.set(v.getDataBuffer().getInt((long) r * 4));
            }
        }
    }

    private static void emitStrings(DictionaryColumn dictionary, BitSet codes, Emitter out, boolean skipEmpty) throws IOException {
        for (int c = codes.nextSetBit(0); c >= 0 && !out.stopped; c = codes.nextSetBit(c + 1)) {
            String v = dictionary.value(c).toStringUtf8();
            if (!skipEmpty || !v.isEmpty()) {
                out.accept("string", v);
            }
        }
    }

    /** The dedicated column of {@code key} in {@code scope}, or null. */
    private static SpanColumns.Dedicated dedicated(AttributeScope scope, String key) {
        for (SpanColumns.Dedicated d : SpanColumns.DEDICATED) {
            if ((d.resource() ? AttributeScope.RESOURCE : AttributeScope.SPAN) == scope && d.key().equals(key)) {
                return d;
            }
        }
        return null;
    }

    /**
     * The attribute's values as the engine reads them: per span (per event, per link) the first
     * attribute with the key, and a span's attributes decode with the dedicated ones first, so a
     * dedicated value, when present, is the one.
     */
    private static void attributeValues(SearchBatch sb, Attribute a, Emitter out) throws IOException {
        List<AttributeScope> scopes = a.scope() == AttributeScope.NONE ? List.of(AttributeScope.SPAN, AttributeScope.RESOURCE,
                AttributeScope.EVENT, AttributeScope.LINK, AttributeScope.INSTRUMENTATION) : List.of(a.scope());
        TreeSet<String> dictionaries = new TreeSet<>();
        for (AttributeScope s : scopes) {
            dictionaries.add(list(s).dictionary());
            SpanColumns.Dedicated d = dedicated(s, a.name());
            if (d != null && !d.isInt()) {
                dictionaries.add(SpanColumns.dictionaryOf(d.column()));
            }
        }
        sb.loadDictionaries(dictionaries);
        byte[] key = a.name().getBytes(StandardCharsets.UTF_8);
        ColumnSelection fields = new ColumnSelection();
        List<AttributeScope> read = new ArrayList<>();
        for (AttributeScope s : scopes) {
            ListSource l = list(s);
            SpanColumns.Dedicated d = dedicated(s, a.name());
            boolean inDedicated = d != null && sb.nullCount(d.column()) < sb.rows();
            boolean inList = sb.dictionary(l.dictionary()).find(key) >= 0;
            if (inDedicated) {
                fields.whole(d.column());
            }
            if (inList) {
                fields.paths(l.column(), l.nesting().prefix + "attribute");
            }
            if (inDedicated || inList) {
                read.add(s);
            }
        }
        if (read.isEmpty()) {
            return;
        }
        sb.loadData(fields);
        for (AttributeScope s : read) {
            ListSource l = list(s);
            SpanColumns.Dedicated d = dedicated(s, a.name());
            FieldVector column = d != null && fields.keeps(d.column(), "") ? sb.vector(d.column()) : null;
            int k = sb.dictionary(l.dictionary()).find(key);
            ListVector attributes = k >= 0 ? l.nesting().attributes(sb.vector(l.column())) : null;
            Entries entries = attributes == null ? null : new Entries(attributes, k, out);
            int parents = l.nesting() == SpanConditions.Nesting.ROW ? sb.rows() : attributes == null ? 0 : attributes.getValueCount();
            BitSet dedicatedCodes = new BitSet();
            for (int p = 0; p < parents && !out.stopped; p++) {
                if (column != null && !column.isNull(p)) {
                    if (column instanceof BigIntVector ints) {
                        out.accept("int", Long.toString(ints.get(p)));
                    } else {
                        dedicatedCodes.set(((IntVector) column).get(p));
                    }
                } else if (entries != null) {
                    entries.first(p);
                }
            }
            if (column instanceof IntVector) {
                emitStrings(sb.dictionary(SpanColumns.dictionaryOf(d.column())), dedicatedCodes, out, false);
            }
            if (entries != null) {
                emitStrings(sb.dictionary(l.dictionary()), entries.strings, out, false);
            }
        }
    }

    /** The first entry with a key in each list of an attribute list column, emitted typed (strings collected by code). */
    private static final class Entries {
        private final ListVector attributes;
        private final int key;
        private final Emitter out;
        private final IntVector keys;
        private final TinyIntVector types;
        private final StructVector struct;
        final BitSet strings = new BitSet();

        Entries(ListVector attributes, int key, Emitter out) {
            this.attributes = attributes;
            this.key = key;
            this.out = out;
            this.struct = (StructVector) attributes.getDataVector();
            this.keys = struct.getChild(SpanColumns.ATTR_KEY, IntVector.class);
            this.types = struct.getChild(SpanColumns.ATTR_TYPE, TinyIntVector.class);
        }

        void first(int parent) {
            for (int e = attributes.getElementStartIndex(parent), end = attributes.getElementEndIndex(parent); e < end; e++) {
                if (keys.get(e) == key) {
                    switch (types.get(e)) {
                        case SpanColumns.TYPE_STRING -> strings.set(struct.getChild(SpanColumns.ATTR_STR, IntVector.class).get(e));
                        case SpanColumns.TYPE_BOOL -> out.accept("bool", Boolean.toString(struct.getChild(SpanColumns.ATTR_BOOL, BitVector.class).get(e) != 0));
                        case SpanColumns.TYPE_INT -> out.accept("int", Long.toString(struct.getChild(SpanColumns.ATTR_INT, BigIntVector.class).get(e)));
                        case SpanColumns.TYPE_DOUBLE -> out.accept("float", floatText(struct.getChild(SpanColumns.ATTR_DOUBLE, Float8Vector.class).get(e)));
                        case SpanColumns.TYPE_ARRAY -> arrayValues(struct.getChild(SpanColumns.ATTR_BYTES, VarBinaryVector.class).get(e), out);
                        default -> {
                            // kvlists, bytes, string-table indexes, no value: not a TraceQL value
                        }
                    }
                    return;
                }
            }
        }
    }

    private static void arrayValues(byte[] serialized, Emitter out) {
        ArrayValue array;
        try {
            array = ArrayValue.parseFrom(serialized);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        for (AnyValue v : array.getValuesList()) {
            switch (v.getValueCase()) {
                case STRING_VALUE -> out.accept("string", v.getStringValue());
                case INT_VALUE -> out.accept("int", Long.toString(v.getIntValue()));
                case DOUBLE_VALUE -> out.accept("float", floatText(v.getDoubleValue()));
                case BOOL_VALUE -> out.accept("bool", Boolean.toString(v.getBoolValue()));
                default -> {
                    // nested arrays and kvlists are not values
                }
            }
        }
    }

    /** A float as the engine renders tag values: Go's shortest {@code 'g'} text, {@code .0} added to whole numbers. */
    static String floatText(double d) {
        String text = GoFormat.formatFloat(d);
        return Double.isFinite(d) && text.indexOf('.') < 0 && text.indexOf('e') < 0 ? text + ".0" : text;
    }
}

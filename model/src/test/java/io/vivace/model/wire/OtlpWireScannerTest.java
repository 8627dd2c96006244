package io.vivace.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OtlpWireScannerTest {

    // ---- generated requests: split and validation agree with the object-based code ----

    @Test
    void splitMatchesTracesSplitByTraceForGeneratedRequests() throws Exception {
        for (int seed = 0; seed < 1500; seed++) {
            Random r = new Random(seed);
            TracesData request = Gen.request(r, false);
            byte[] bytes = request.toByteArray();
            assertSplitMatches(bytes, "seed " + seed);
        }
    }

    @Test
    void validationMatchesObjectBasedRulesForGeneratedRequests() throws Exception {
        int rejected = 0;
        for (int seed = 0; seed < 1500; seed++) {
            Random r = new Random(seed);
            TracesData request = Gen.request(r, true);
            OtlpWireBatch batch = OtlpWireScanner.scan(request.toByteArray());
            String expected = ReferenceValidation.firstProblem(request.getResourceSpansList());
            OtlpWireBatch.IdProblem actual = batch.firstIdProblem();
            assertThat(actual == null ? null : actual.message()).as("seed %d", seed).isEqualTo(expected);
            if (actual != null) {
                rejected++;
                assertThat(actual.traceId()).isEqualTo(expected.startsWith("trace"));
            }
            assertThat(batch.spanCount()).isEqualTo(Traces.spanCount(request.getResourceSpansList()));
        }
        assertThat(rejected).as("the generator makes invalid IDs too").isBetween(100, 1400);
    }

    @Test
    void splitOfExportTraceServiceRequestBytesIsTheSame() throws Exception {
        TracesData data = Gen.request(new Random(7), false);
        ExportTraceServiceRequest request = ExportTraceServiceRequest.newBuilder()
                .addAllResourceSpans(data.getResourceSpansList()).build();
        assertThat(request.toByteArray()).isEqualTo(data.toByteArray());
        assertSplitMatches(request.toByteArray(), "export request");
    }

    @Test
    void emptyRequestAndEmptyScopesHaveNoSpansAndNoTraces() {
        assertThat(OtlpWireScanner.scan(new byte[0]).splitByTrace()).isEmpty();
        byte[] bytes = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("s")))).build().toByteArray();
        OtlpWireBatch batch = OtlpWireScanner.scan(bytes);
        assertThat(batch.spanCount()).isZero();
        assertThat(batch.firstIdProblem()).isNull();
        assertThat(batch.splitByTrace()).isEmpty();
    }

    @Test
    void repeatedResourceAndScopeFieldsMergeAsProtobufDoes() throws Exception {
        // Resource given twice in one ResourceSpans: protobuf merges the two; so must the chunk.
        Resource a = Resource.newBuilder().addAttributes(kv("a", "1")).build();
        Resource b = Resource.newBuilder().addAttributes(kv("b", "2")).setDroppedAttributesCount(3).build();
        Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
                .setName("x").build();
        ByteArrayOutputStream rs = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(rs);
        out.writeMessage(1, a);
        out.writeMessage(2, ScopeSpans.newBuilder().addSpans(span).build());
        out.writeMessage(1, b);
        out.writeString(3, "first");
        out.writeString(3, "second");
        out.flush();
        ByteArrayOutputStream top = new ByteArrayOutputStream();
        CodedOutputStream t = CodedOutputStream.newInstance(top);
        t.writeByteArray(1, rs.toByteArray());
        t.flush();
        assertSplitMatches(top.toByteArray(), "merged fields");
    }

    @Test
    void traceIdsLongerThan16BytesCannotBeSplit() {
        byte[] bytes = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
                .addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(new byte[17]))))).build().toByteArray();
        OtlpWireBatch batch = OtlpWireScanner.scan(bytes);
        assertThat(batch.firstIdProblem().message()).isEqualTo("trace ids must be 128 bit, received 136 bits");
        assertThatThrownBy(batch::splitByTrace).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trace IDs can't be larger than 128 bits, received 136 bits");
    }

    @Test
    void malformedInputIsAnIllegalArgumentWithProtobufsWording() {
        assertThatThrownBy(() -> OtlpWireScanner.scan(new byte[] {0x0A, 0x05, 0x01})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> OtlpWireScanner.scan(new byte[] {0x00})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid tag");
        assertThatThrownBy(() -> OtlpWireScanner.scan(new byte[] {0x0C})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("end-group");
        byte[] badUtf8 = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setSchemaUrl("é")).build().toByteArray();
        badUtf8[badUtf8.length - 1] = (byte) 0xFF;
        assertThatThrownBy(() -> TracesData.parseFrom(badUtf8)).isInstanceOf(InvalidProtocolBufferException.class);
        assertThatThrownBy(() -> OtlpWireScanner.scan(badUtf8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Protocol message had invalid UTF-8.");
    }

    @Test
    void nestingDeeperThanProtobufsLimitIsRefusedLikeTheParser() {
        int parsed = 0;
        int refused = 0;
        for (int depth = 28; depth <= 36; depth++) {
            AnyValue v = AnyValue.newBuilder().setStringValue("leaf").build();
            for (int i = 0; i < depth; i++) {
                v = AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder().addValues(KeyValue.newBuilder().setKey("k").setValue(v)))
                        .build();
            }
            byte[] bytes = TracesData.newBuilder().addResourceSpans(ResourceSpans.newBuilder().setResource(Resource.newBuilder()
                    .addAttributes(KeyValue.newBuilder().setKey("deep").setValue(v)))).build().toByteArray();
            boolean parses = catchThrowable(() -> TracesData.parseFrom(bytes)) == null;
            boolean scans = catchThrowable(() -> OtlpWireScanner.scan(bytes)) == null;
            assertThat(scans).as("depth %d", depth).isEqualTo(parses);
            if (parses) {
                parsed++;
            } else {
                refused++;
            }
        }
        assertThat(parsed).as("depths around the limit").isPositive();
        assertThat(refused).as("depths around the limit").isPositive();
    }

    // ---- fuzz: mutations and truncations ----

    @Test
    void mutatedRequestsOnlyEverFailWithIllegalArgumentAndAgreeWithTheParser() {
        assertTimeoutPreemptively(Duration.ofMinutes(2), () -> {
            Random r = new Random(42);
            int accepted = 0;
            int refused = 0;
            for (int round = 0; round < 4000; round++) {
                byte[] valid = Gen.request(new Random(round % 300), round % 3 == 0).toByteArray();
                byte[] bytes = mutate(r, valid);
                Throwable parse = catchThrowable(() -> TracesData.parseFrom(bytes));
                Throwable scan = catchThrowable(() -> OtlpWireScanner.scan(bytes));
                Throwable shallow = catchThrowable(() -> OtlpWireScanner.scanValidated(bytes).splitByTrace());
                if (shallow != null) {
                    assertThat(shallow).as("round %d", round).isInstanceOf(IllegalArgumentException.class);
                }
                if (scan != null) {
                    assertThat(scan).as("round %d", round).isInstanceOf(IllegalArgumentException.class);
                    assertThat(scan.getMessage()).isNotBlank();
                }
                assertThat(scan == null).as("round %d: scanner accepts iff protobuf parses (%s / %s)", round, parse, scan)
                        .isEqualTo(parse == null);
                if (scan == null) {
                    accepted++;
                    OtlpWireBatch batch = OtlpWireScanner.scan(bytes);
                    batch.firstIdProblem();
                    Throwable split = catchThrowable(batch::splitByTrace);
                    if (split == null) {
                        assertSplitMatches(bytes, "round " + round);
                    } else {
                        assertThat(split).isInstanceOf(IllegalArgumentException.class);
                    }
                } else {
                    refused++;
                }
            }
            assertThat(accepted).isPositive();
            assertThat(refused).isPositive();
        });
    }

    @Test
    void everyTruncationFailsCleanly() {
        assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
            byte[] valid = new byte[0];
            for (int seed = 0; valid.length < 3000; seed++) {
                valid = Gen.request(new Random(seed), false).toByteArray();
            }
            for (int len = 0; len < valid.length; len++) {
                byte[] bytes = Arrays.copyOf(valid, len);
                Throwable parse = catchThrowable(() -> TracesData.parseFrom(bytes));
                Throwable scan = catchThrowable(() -> OtlpWireScanner.scan(bytes));
                if (scan != null) {
                    assertThat(scan).isInstanceOf(IllegalArgumentException.class);
                }
                assertThat(scan == null).as("length %d", len).isEqualTo(parse == null);
            }
        });
    }

    private static byte[] mutate(Random r, byte[] valid) {
        byte[] b = valid.clone();
        int kind = r.nextInt(6);
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt()};
        }
        switch (kind) {
            case 0 -> { // flip bytes
                for (int i = 0, n = 1 + r.nextInt(3); i < n; i++) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt();
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length)); // truncate
            case 2 -> { // delete a range
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(8));
                byte[] out = new byte[b.length - (to - from)];
                System.arraycopy(b, 0, out, 0, from);
                System.arraycopy(b, to, out, from, b.length - to);
                b = out;
            }
            case 3 -> { // insert random bytes
                int at = r.nextInt(b.length + 1);
                byte[] ins = new byte[1 + r.nextInt(6)];
                r.nextBytes(ins);
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                b = out;
            }
            case 4 -> { // bit flip, often hits tags and lengths
                int i = r.nextInt(b.length);
                b[i] ^= (byte) (1 << r.nextInt(8));
            }
            default -> { // pure noise
                b = new byte[r.nextInt(64)];
                r.nextBytes(b);
            }
        }
        return b;
    }

    // ---- comparison with the object-based split ----

    static void assertSplitMatches(byte[] bytes, String what) throws Exception {
        List<ResourceSpans> parsed = TracesData.parseFrom(bytes).getResourceSpansList();
        Map<TraceId, List<ResourceSpans>> expected = Traces.splitByTrace(parsed);
        OtlpWireBatch batch = OtlpWireScanner.scan(bytes);
        List<OtlpWireBatch.TraceChunk> chunks = batch.splitByTrace();
        List<OtlpWireBatch.TraceChunk> shallow = OtlpWireScanner.scanValidated(bytes).splitByTrace();
        assertThat(shallow).hasSameSizeAs(chunks);
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(shallow.get(i).bytes()).as("scanValidated splits %s alike", what).isEqualTo(chunks.get(i).bytes());
            assertThat(shallow.get(i).id()).isEqualTo(chunks.get(i).id());
        }
        assertThat(chunks).extracting(OtlpWireBatch.TraceChunk::id).as(what).containsExactlyElementsOf(expected.keySet());
        assertThat(batch.spanCount()).isEqualTo(Traces.spanCount(parsed));
        assertThat(batch.traceCount()).isEqualTo(expected.size());
        for (OtlpWireBatch.TraceChunk chunk : chunks) {
            List<ResourceSpans> pieces = expected.get(chunk.id());
            assertThat(TracesData.parseFrom(chunk.bytes()).getResourceSpansList()).as(what).isEqualTo(pieces);
            long start = Long.MAX_VALUE;
            long end = 0;
            int spans = 0;
            for (ResourceSpans rs : pieces) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spans++;
                        start = Math.min(start, s.getStartTimeUnixNano());
                        end = Math.max(end, s.getEndTimeUnixNano());
                    }
                }
            }
            assertThat(chunk.spanCount()).isEqualTo(spans);
            assertThat(chunk.startUnixNanos()).isEqualTo(start == Long.MAX_VALUE ? 0 : start);
            assertThat(chunk.endUnixNanos()).isEqualTo(end);
        }
        if (Arrays.equals(TracesData.parseFrom(bytes).toByteArray(), bytes)) {
            // Canonical input: the chunks are byte for byte what re-encoding the objects gives.
            for (OtlpWireBatch.TraceChunk chunk : chunks) {
                assertThat(chunk.bytes()).as(what).isEqualTo(encode(expected.get(chunk.id())));
            }
        }
    }

    /** The ingester's encoding of split pieces before the scanner: each piece as TracesData field 1. */
    private static byte[] encode(List<ResourceSpans> pieces) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (ResourceSpans rs : pieces) {
            out.writeMessage(1, rs);
        }
        out.flush();
        return bytes.toByteArray();
    }

    private static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    /** The distributor's object-based ID rules (Distributor.validate), message for message. */
    static final class ReferenceValidation {
        static String firstProblem(List<ResourceSpans> batch) {
            for (ResourceSpans rs : batch) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span span : ss.getSpansList()) {
                        ByteString traceId = span.getTraceId();
                        if (traceId.size() != 16) {
                            return "trace ids must be 128 bit, received " + traceId.size() * 8 + " bits";
                        }
                        if (allZero(traceId)) {
                            return "trace ids must be 128 bit and not all zero, received an all-zero trace id";
                        }
                        ByteString spanId = span.getSpanId();
                        if (spanId.size() != 8 || allZero(spanId)) {
                            return "span ids must be 64 bit and not all zero, received " + spanId.size() * 8 + " bits";
                        }
                        ByteString parent = span.getParentSpanId();
                        if (!parent.isEmpty() && parent.size() != 8) {
                            return "parent span ids must be empty or 64 bit, received " + parent.size() * 8 + " bits";
                        }
                    }
                }
            }
            return null;
        }

        private static boolean allZero(ByteString b) {
            for (int i = 0; i < b.size(); i++) {
                if (b.byteAt(i) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Random OTLP requests using every span field type, events, links, nested values and unknown fields. */
    static final class Gen {
        private static final String[] WORDS = {"", "a", "shop", "checkout", "GET /api/v1/cart", "é", "日本語", "emoji 😀", "x".repeat(200)};

        static TracesData request(Random r, boolean invalidIds) {
            byte[][] traceIds = new byte[1 + r.nextInt(4)][];
            for (int i = 0; i < traceIds.length; i++) {
                traceIds[i] = bytes(r, invalidIds && r.nextInt(8) == 0 ? pick(r, 0, 8, 15, 17) : 16);
                if (invalidIds && r.nextInt(10) == 0) {
                    Arrays.fill(traceIds[i], (byte) 0);
                }
            }
            TracesData.Builder b = TracesData.newBuilder();
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                ResourceSpans.Builder rs = ResourceSpans.newBuilder();
                if (r.nextInt(5) != 0) {
                    rs.setResource(resource(r));
                }
                if (r.nextBoolean()) {
                    rs.setSchemaUrl(word(r));
                }
                for (int j = 0, m = r.nextInt(4); j < m; j++) {
                    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
                    if (r.nextInt(5) != 0) {
                        ss.setScope(scope(r));
                    }
                    if (r.nextBoolean()) {
                        ss.setSchemaUrl(word(r));
                    }
                    for (int k = 0, s = r.nextInt(8); k < s; k++) {
                        ss.addSpans(span(r, traceIds[r.nextInt(traceIds.length)], invalidIds));
                    }
                    maybeUnknown(r, ss);
                    rs.addScopeSpans(ss);
                }
                maybeUnknown(r, rs);
                b.addResourceSpans(rs);
            }
            maybeUnknown(r, b);
            return b.build();
        }

        private static Resource resource(Random r) {
            Resource.Builder b = Resource.newBuilder().addAllAttributes(attributes(r, 2));
            if (r.nextBoolean()) {
                b.setDroppedAttributesCount(r.nextInt(5));
            }
            maybeUnknown(r, b);
            return b.build();
        }

        private static InstrumentationScope scope(Random r) {
            InstrumentationScope.Builder b = InstrumentationScope.newBuilder().setName(word(r)).setVersion(word(r))
                    .addAllAttributes(attributes(r, 1));
            if (r.nextBoolean()) {
                b.setDroppedAttributesCount(r.nextInt(3));
            }
            maybeUnknown(r, b);
            return b.build();
        }

        private static Span span(Random r, byte[] traceId, boolean invalidIds) {
            Span.Builder b = Span.newBuilder().setTraceId(ByteString.copyFrom(traceId));
            byte[] spanId = bytes(r, invalidIds && r.nextInt(20) == 0 ? pick(r, 0, 4, 16) : 8);
            if (invalidIds && r.nextInt(30) == 0) {
                Arrays.fill(spanId, (byte) 0);
            }
            b.setSpanId(ByteString.copyFrom(spanId));
            if (r.nextBoolean()) {
                b.setParentSpanId(ByteString.copyFrom(bytes(r, invalidIds && r.nextInt(20) == 0 ? pick(r, 4, 16) : 8)));
            }
            if (r.nextBoolean()) {
                b.setTraceState("k=" + word(r));
            }
            b.setName(word(r)).setKindValue(r.nextInt(7)).setStartTimeUnixNano(r.nextLong()).setEndTimeUnixNano(r.nextLong())
                    .addAllAttributes(attributes(r, 2));
            if (r.nextBoolean()) {
                b.setDroppedAttributesCount(r.nextInt(9)).setDroppedEventsCount(r.nextInt(9)).setDroppedLinksCount(r.nextInt(9));
            }
            for (int i = 0, n = r.nextInt(3); i < n; i++) {
                b.addEvents(Span.Event.newBuilder().setName(word(r)).setTimeUnixNano(r.nextLong()).addAllAttributes(attributes(r, 1))
                        .setDroppedAttributesCount(r.nextInt(2)));
            }
            for (int i = 0, n = r.nextInt(3); i < n; i++) {
                b.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(bytes(r, 16))).setSpanId(ByteString.copyFrom(bytes(r, 8)))
                        .setTraceState(word(r)).addAllAttributes(attributes(r, 1)).setDroppedAttributesCount(r.nextInt(2))
                        .setFlags(r.nextInt()));
            }
            if (r.nextBoolean()) {
                b.setStatus(Status.newBuilder().setCodeValue(r.nextInt(3)).setMessage(word(r)));
            }
            if (r.nextBoolean()) {
                b.setFlags(r.nextInt());
            }
            maybeUnknown(r, b);
            return b.build();
        }

        private static List<KeyValue> attributes(Random r, int depth) {
            List<KeyValue> out = new ArrayList<>();
            for (int i = 0, n = r.nextInt(4); i < n; i++) {
                out.add(KeyValue.newBuilder().setKey(word(r)).setValue(value(r, depth)).build());
            }
            return out;
        }

        private static AnyValue value(Random r, int depth) {
            AnyValue.Builder v = AnyValue.newBuilder();
            switch (r.nextInt(depth > 0 ? 8 : 6)) {
                case 0 -> v.setStringValue(word(r));
                case 1 -> v.setBoolValue(r.nextBoolean());
                case 2 -> v.setIntValue(r.nextLong());
                case 3 -> v.setDoubleValue(r.nextDouble());
                case 4 -> v.setBytesValue(ByteString.copyFrom(bytes(r, r.nextInt(10))));
                case 5 -> { } // empty AnyValue
                case 6 -> {
                    ArrayValue.Builder a = ArrayValue.newBuilder();
                    for (int i = 0, n = r.nextInt(3); i < n; i++) {
                        a.addValues(value(r, depth - 1));
                    }
                    v.setArrayValue(a);
                }
                default -> v.setKvlistValue(KeyValueList.newBuilder().addAllValues(attributes(r, depth - 1)));
            }
            return v.build();
        }

        private static void maybeUnknown(Random r, com.google.protobuf.Message.Builder b) {
            if (r.nextInt(4) != 0) {
                return;
            }
            UnknownFieldSet.Field.Builder f = UnknownFieldSet.Field.newBuilder();
            switch (r.nextInt(4)) {
                case 0 -> f.addVarint(r.nextLong());
                case 1 -> f.addFixed32(r.nextInt());
                case 2 -> f.addFixed64(r.nextLong());
                default -> f.addLengthDelimited(ByteString.copyFrom(bytes(r, r.nextInt(20))));
            }
            b.setUnknownFields(UnknownFieldSet.newBuilder().addField(1000 + r.nextInt(1000), f.build()).build());
        }

        private static String word(Random r) {
            return WORDS[r.nextInt(WORDS.length)];
        }

        private static int pick(Random r, int... options) {
            return options[r.nextInt(options.length)];
        }

        private static byte[] bytes(Random r, int n) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            if (n > 0) {
                b[0] |= 1;
            }
            return b;
        }
    }
}

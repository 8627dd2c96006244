package io.vivace.distributor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.limits.Limits;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.ingest.PushBatch;
import io.vivace.model.wire.OtlpWireScanner;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wire-level push (OTLP protobuf) accepts and refuses exactly like the object-based push. */
class DistributorWirePathTest {

    @Test
    void wirePushAgreesWithObjectPushOnGeneratedRequests() throws Exception {
        int refused = 0;
        for (int seed = 0; seed < 1000; seed++) {
            Random r = new Random(seed);
            TracesData request = request(r);
            byte[] bytes = request.toByteArray();
            long maxBytesPerTrace = r.nextBoolean() ? 0 : 100 + r.nextInt(3000);
            RecordingIngestLog objectLog = new RecordingIngestLog();
            RecordingIngestLog wireLog = new RecordingIngestLog();
            CompletableFuture<Void> byObjects = distributor(objectLog, maxBytesPerTrace)
                    .push("t", request.getResourceSpansList(), bytes, bytes.length);
            CompletableFuture<Void> byWire = distributor(wireLog, maxBytesPerTrace)
                    .push("t", OtlpWireScanner.scan(bytes), bytes, bytes.length);
            String expected = outcome(byObjects);
            assertThat(outcome(byWire)).as("seed %d", seed).isEqualTo(expected);
            if (expected.startsWith("refused")) {
                refused++;
            }
            assertThat(wireLog.batches()).hasSameSizeAs(objectLog.batches());
            for (int i = 0; i < wireLog.batches().size(); i++) {
                PushBatch w = wireLog.batches().get(i);
                PushBatch o = objectLog.batches().get(i);
                assertThat(w.tenant()).isEqualTo(o.tenant());
                assertThat(w.spanCount()).isEqualTo(o.spanCount());
                assertThat(w.encoded()).isEqualTo(o.encoded());
                assertThat(w.resourceSpans()).isEqualTo(o.resourceSpans());
            }
        }
        assertThat(refused).isBetween(100, 900);
    }

    private static Distributor distributor(RecordingIngestLog log, long maxBytesPerTrace) {
        Limits limits = new Limits(new Limits.Ingestion("local", 1L << 40, 1L << 40, 0), new Limits.Global(maxBytesPerTrace));
        return new Distributor(DistributorConfig.defaults(), new OverridesConfig(limits, Map.of()), true, log,
                new SimpleMeterRegistry());
    }

    private static String outcome(CompletableFuture<Void> f) throws Exception {
        try {
            f.get(5, TimeUnit.SECONDS);
            return "ok";
        } catch (ExecutionException e) {
            VivaceException v = (VivaceException) e.getCause();
            return "refused " + v.category() + " " + v.reason() + " " + v.getMessage();
        }
    }

    private static TracesData request(Random r) {
        byte[][] traceIds = new byte[1 + r.nextInt(4)][];
        for (int i = 0; i < traceIds.length; i++) {
            traceIds[i] = bytes(r, r.nextInt(10) == 0 ? new int[] {0, 8, 15, 17}[r.nextInt(4)] : 16);
            if (r.nextInt(15) == 0) {
                Arrays.fill(traceIds[i], (byte) 0);
            }
        }
        TracesData.Builder b = TracesData.newBuilder();
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(Resource.newBuilder()
                    .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("s" + i))));
            for (int j = 0, m = 1 + r.nextInt(2); j < m; j++) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope" + j));
                for (int k = 0, s = r.nextInt(12); k < s; k++) {
                    byte[] spanId = bytes(r, r.nextInt(40) == 0 ? new int[] {0, 4, 16}[r.nextInt(3)] : 8);
                    if (r.nextInt(60) == 0) {
                        Arrays.fill(spanId, (byte) 0);
                    }
                    Span.Builder span = Span.newBuilder().setTraceId(ByteString.copyFrom(traceIds[r.nextInt(traceIds.length)]))
                            .setSpanId(ByteString.copyFrom(spanId)).setName("x".repeat(r.nextInt(300)))
                            .setStartTimeUnixNano(r.nextLong()).setEndTimeUnixNano(r.nextLong());
                    if (r.nextBoolean()) {
                        span.setParentSpanId(ByteString.copyFrom(bytes(r, r.nextInt(40) == 0 ? 4 : 8)));
                    }
                    ss.addSpans(span);
                }
                rs.addScopeSpans(ss);
            }
            b.addResourceSpans(rs);
        }
        return b.build();
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

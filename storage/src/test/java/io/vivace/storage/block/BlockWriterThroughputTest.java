package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vivace.model.TraceId;
import io.vivace.storage.object.InMemoryObjectStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Writes the benchmark corpus shape (about 490-byte spans with 8 HTTP attributes, 20 spans per
 * trace, 8 services) and prints spans per second and bytes per span. Prints, never asserts on time:
 * the machine is shared. The JMH benchmark in {@code bench/} is the reference measurement.
 */
class BlockWriterThroughputTest {
    private static final String USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Vivace";

    static List<TraceEntry> corpus(int traces, long seed) {
        Random random = new Random(seed);
        TreeMap<TraceId, TraceEntry> out = new TreeMap<>();
        long t0 = 1_700_000_000_000_000_000L;
        while (out.size() < traces) {
            TraceId id = new TraceId(random.nextLong(), random.nextLong());
            List<ResourceSpans> rss = new ArrayList<>();
            long start = t0 + random.nextInt(60_000) * 1_000_000L;
            byte[] rootId = new byte[8];
            random.nextBytes(rootId);
            for (int svc = 0; svc < 4; svc++) {
                String service = "service-" + random.nextInt(8);
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("1.30.0"));
                for (int i = 0; i < 5; i++) {
                    byte[] sid = new byte[8];
                    random.nextBytes(sid);
                    boolean root = svc == 0 && i == 0;
                    long s = start + random.nextInt(1_000_000);
                    Span.Builder span = Span.newBuilder().setTraceId(id.toByteString())
                            .setSpanId(ByteString.copyFrom(root ? rootId : sid))
                            .setName("GET /api/v1/resource/" + random.nextInt(20))
                            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
                            .setStartTimeUnixNano(s).setEndTimeUnixNano(s + random.nextInt(50_000_000))
                            .setStatus(Status.newBuilder().setCode(random.nextInt(20) == 0 ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET))
                            .addAttributes(str("http.method", random.nextBoolean() ? "GET" : "POST"))
                            .addAttributes(KeyValue.newBuilder().setKey("http.status_code").setValue(AnyValue.newBuilder().setIntValue(200)))
                            .addAttributes(str("http.url", "http://service-" + svc + ":8080/api/v1/resource/" + random.nextInt(1000)))
                            .addAttributes(str("http.route", "/api/v1/resource/{id}"))
                            .addAttributes(str("user_agent.original", USER_AGENT))
                            .addAttributes(str("net.peer.name", "10.0." + random.nextInt(255) + "." + random.nextInt(255)))
                            .addAttributes(KeyValue.newBuilder().setKey("net.peer.port").setValue(AnyValue.newBuilder().setIntValue(40000 + random.nextInt(20000))))
                            .addAttributes(str("http.flavor", "1.1"));
                    if (!root) {
                        span.setParentSpanId(ByteString.copyFrom(rootId));
                    }
                    ss.addSpans(span);
                }
                rss.add(ResourceSpans.newBuilder().setResource(Resource.newBuilder()
                        .addAttributes(str("service.name", service)).addAttributes(str("host.name", "host-" + svc)))
                        .addScopeSpans(ss).build());
            }
            out.put(id, new TraceEntry(id, rss));
        }
        return new ArrayList<>(out.values());
    }

    private static KeyValue str(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    @Test
    void writesTheBenchmarkCorpus() throws Exception {
        List<TraceEntry> traces = corpus(2_500, 1);
        long spans = 0;
        long protoBytes = 0;
        for (TraceEntry t : traces) {
            for (ResourceSpans rs : t.resourceSpans()) {
                spans += rs.getScopeSpans(0).getSpansCount();
                protoBytes += rs.getSerializedSize();
            }
        }
        InMemoryObjectStore store = new InMemoryObjectStore();
        BlockWriter writer = new BlockWriter(store, BlockWriterConfig.defaults());
        writer.write("warmup", UUID.randomUUID(), 0, traces.iterator()); // JIT warm-up
        // Best of several runs: the machine's two cores are shared, single runs vary by 2x.
        long nanos = Long.MAX_VALUE;
        BlockMeta meta = null;
        for (int run = 0; run < 4; run++) {
            long t = System.nanoTime();
            meta = writer.write("t", UUID.randomUUID(), 0, traces.iterator());
            nanos = Math.min(nanos, System.nanoTime() - t);
        }
        System.out.printf("block write: %d spans (%.0f OTLP bytes/span), best of 4: %.0f ms = %.0f spans/s; %.1f bytes/span stored (data+index+bloom)%n",
                spans, (double) protoBytes / spans, nanos / 1e6, spans / (nanos / 1e9), (double) meta.size() / spans);
        System.out.println("column sizes: " + BlockMetaJson.statistics(store.read("t/" + meta.blockId() + "/meta.json")).get("columnSizes"));
        assertThat(meta.totalSpans()).isEqualTo(spans);
        try (BlockReader reader = BlockReader.open(store, meta)) {
            long r = System.nanoTime();
            int n = 0;
            for (int i = 0; i < traces.size(); i += 25) {
                assertThat(reader.findTrace(traces.get(i).id())).isPresent();
                n++;
            }
            System.out.printf("findTrace: %.2f ms each over %d lookups (cold JIT)%n", (System.nanoTime() - r) / 1e6 / n, n);
            // Bytes per lookup once the index and every bloom shard are cached: the record batch alone.
            long before = reader.bytesRead();
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 3; round++) {
                long t = System.nanoTime();
                for (int i = 0; i < traces.size(); i += 25) {
                    reader.findTrace(traces.get(i).id());
                }
                best = Math.min(best, System.nanoTime() - t);
            }
            System.out.printf("findTrace warm: %.2f ms each (best of 3 rounds), %.0f bytes read per lookup; index %d bytes%n",
                    best / 1e6 / n, (reader.bytesRead() - before) / (3.0 * n), store.read("t/" + meta.blockId() + "/index").length);
        }
    }
}

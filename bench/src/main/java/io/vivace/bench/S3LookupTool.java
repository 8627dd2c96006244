package io.vivace.bench;

import io.vivace.model.TraceId;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockReader;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.CachingObjectStore;
import io.vivace.storage.object.ForwardingObjectStore;
import io.vivace.storage.object.ObjectStore;
import io.vivace.storage.object.S3Config;
import io.vivace.storage.object.S3ObjectStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Trace by ID from a block on an S3-compatible server (S3Proxy in this JVM, over loopback HTTP):
 * writes one block of {@code -traces} corpus traces × 20 spans, then looks up random traces with
 * (1) a cold reader and an empty cache each time, (2) a warm reader over {@link CachingObjectStore}.
 * Prints p50/p99 latency and object-store requests (and bytes) per lookup for both.
 *
 * <pre>
 * java -cp bench/target/vivace-bench.jar io.vivace.bench.S3LookupTool -traces=10000 -lookups=2000
 * </pre>
 */
public final class S3LookupTool {
    private S3LookupTool() {}

    /** Runs the tool. */
    public static void main(String[] args) throws Exception {
        int traces = 10_000;
        int lookups = 2_000;
        for (String a : args) {
            String[] kv = a.replaceFirst("^--?", "").split("=", 2);
            switch (kv[0]) {
                case "traces" -> traces = Integer.parseInt(kv[1]);
                case "lookups" -> lookups = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown flag " + a + " (expected: -traces, -lookups)");
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        S3Proxy proxy = S3Proxy.builder().blobStore(new TransientNio2BlobStore()).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "bench", "bench-secret").build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        try (S3Client raw = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench-secret"))).build()) {
            raw.createBucket(b -> b.bucket("traces"));
        }
        S3Config d = S3Config.defaults();
        S3Config config = new S3Config("traces", "", endpoint.toString(), d.region(), "bench", "bench-secret", "", true, true,
                d.partSize(), d.maxRetries(), Duration.ofSeconds(5), Duration.ofSeconds(30), 0);
        try (S3ObjectStore s3 = S3ObjectStore.open(config)) {
            Counting counting = new Counting(s3);
            List<TraceEntry> data = SortedTraces.generate(new Random(11), traces, 20);
            BlockMeta meta = new BlockWriter(s3, BlockWriterConfig.defaults()).write("bench", UUID.randomUUID(), 0, data.iterator());
            System.out.printf("block: %d traces, %d spans, %.1f MB on S3 (%d record batches, %d bloom shards)%n", meta.totalTraces(),
                    meta.totalSpans(), meta.size() / 1e6, meta.totalRecordBatches(), meta.bloomShards());
            Random r = new Random(3);
            TraceId[] ids = data.stream().map(TraceEntry::id).toArray(TraceId[]::new);

            long[] cold = new long[Math.max(1, lookups / 10)];
            counting.reset();
            for (int i = 0; i < cold.length; i++) {
                TraceId id = ids[r.nextInt(ids.length)];
                long t0 = System.nanoTime();
                try (BlockReader reader = BlockReader.open(counting, meta)) {
                    if (reader.findTrace(id).isEmpty()) {
                        throw new IllegalStateException("trace " + id + " not found");
                    }
                }
                cold[i] = System.nanoTime() - t0;
            }
            report("cold (new reader, no cache)", cold, counting);

            CachingObjectStore cache = new CachingObjectStore(counting, 256L << 20);
            long[] warm = new long[lookups];
            try (BlockReader reader = BlockReader.open(cache, meta)) {
                for (int i = 0; i < 200; i++) {
                    reader.findTrace(ids[r.nextInt(ids.length)]); // warm up: index, bloom shards, JIT
                }
                counting.reset();
                for (int i = 0; i < warm.length; i++) {
                    TraceId id = ids[r.nextInt(ids.length)];
                    long t0 = System.nanoTime();
                    if (reader.findTrace(id).isEmpty()) {
                        throw new IllegalStateException("trace " + id + " not found");
                    }
                    warm[i] = System.nanoTime() - t0;
                }
            }
            report("warm (cached reader: index and blooms in memory; batch ranges via the object cache)", warm, counting);

            // Searches with a cold reader and no cache: what one search job costs in requests.
            for (String q : List.of("{ resource.service.name = \"nope\" }", "{ span.http.method = \"PATCH\" }",
                    "{ span.http.status_code = 500 && resource.service.name = \"payment\" }")) {
                counting.reset();
                long t0 = System.nanoTime();
                int[] found = {0};
                try (BlockReader reader = BlockReader.open(counting, meta)) {
                    io.vivace.traceql.engine.FetchStats stats = new io.vivace.traceql.engine.FetchStats();
                    new io.vivace.storage.block.BlockSearcher(reader).fetch(new io.vivace.traceql.engine.FetchRequest(
                            io.vivace.traceql.engine.TracePredicate.of(io.vivace.traceql.TraceQL.compile(q)), 0, 0, () -> false),
                            stats, t -> ++found[0] < 20);
                }
                System.out.printf("search %s (cold, first 20 candidates): %.1f ms, %d requests, %.1f KB of %.1f MB%n", q,
                        (System.nanoTime() - t0) / 1e6, counting.requests.get(), counting.bytes.get() / 1024.0, meta.size() / 1e6);
            }
        } finally {
            proxy.stop();
        }
    }

    private static void report(String label, long[] latencies, Counting c) {
        Arrays.sort(latencies);
        System.out.printf("%s: %d lookups, p50 %.2f ms, p99 %.2f ms, %.2f requests and %.1f KB per lookup%n", label, latencies.length,
                QueryLoadTool.pct(latencies, 0.5), QueryLoadTool.pct(latencies, 0.99), (double) c.requests.get() / latencies.length,
                c.bytes.get() / 1024.0 / latencies.length);
    }

    /** Counts requests and bytes reaching the store. */
    private static final class Counting extends ForwardingObjectStore {
        final AtomicLong requests = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        Counting(ObjectStore store) {
            super(store);
        }

        void reset() {
            requests.set(0);
            bytes.set(0);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            requests.incrementAndGet();
            return super.list(prefix);
        }

        @Override
        public List<String> listChildren(String prefix) throws IOException {
            requests.incrementAndGet();
            return super.listChildren(prefix);
        }

        @Override
        public byte[] read(String key) throws IOException {
            requests.incrementAndGet();
            byte[] b = super.read(key);
            bytes.addAndGet(b.length);
            return b;
        }

        @Override
        public byte[] readRange(String key, long offset, int length) throws IOException {
            requests.incrementAndGet();
            bytes.addAndGet(length);
            return super.readRange(key, offset, length);
        }

        @Override
        public long size(String key) throws IOException {
            requests.incrementAndGet();
            return super.size(key);
        }
    }
}

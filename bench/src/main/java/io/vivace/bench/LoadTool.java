package io.vivace.bench;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end ingest load: sends pre-encoded OTLP/HTTP protobuf requests from several threads for a
 * fixed time, with fresh trace IDs in every request (patched into the encoded bytes, so encoding
 * costs nothing during the run), and prints accepted spans/s, MB/s and latency percentiles.
 *
 * <pre>
 * java -cp bench/target/vivace-bench.jar io.vivace.bench.LoadTool \
 *     -url=http://127.0.0.1:4318/v1/traces -threads=8 -seconds=30 -spans=1000 -spans-per-trace=20
 * </pre>
 */
public final class LoadTool {
    private LoadTool() {}

    /** Runs the load; see the class comment for flags. */
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:4318/v1/traces";
        int threads = 8;
        int seconds = 30;
        int spans = 1000;
        int spansPerTrace = 20;
        String tenant = null;
        for (String a : args) {
            String[] kv = a.replaceFirst("^--?", "").split("=", 2);
            switch (kv[0]) {
                case "url" -> url = kv[1];
                case "threads" -> threads = Integer.parseInt(kv[1]);
                case "seconds" -> seconds = Integer.parseInt(kv[1]);
                case "spans" -> spans = Integer.parseInt(kv[1]);
                case "spans-per-trace" -> spansPerTrace = Integer.parseInt(kv[1]);
                case "tenant" -> tenant = kv[1];
                default -> throw new IllegalArgumentException("unknown flag " + a
                        + " (expected: -url, -threads, -seconds, -spans, -spans-per-trace, -tenant)");
            }
        }
        Template template = Template.of(Corpus.request(new Random(42), spans / spansPerTrace, spansPerTrace));
        System.out.printf("load: %s threads=%d seconds=%d request=%d spans, %d bytes (%.0f B/span)%n", url, threads, seconds,
                template.spanCount, template.bytes.length, template.bytes.length / (double) template.spanCount);
        AtomicLong okRequests = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Thread> workers = new ArrayList<>();
        final String target = url;
        final String org = tenant;
        long t0 = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            long[] lat = new long[1 << 20];
            latencies.add(lat);
            Thread t = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                int n = 0;
                while (System.nanoTime() < deadline) {
                    byte[] body = template.withFreshTraceIds();
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(target))
                            .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(body));
                    if (org != null) {
                        rb.header("X-Scope-OrgID", org);
                    }
                    long s = System.nanoTime();
                    try {
                        HttpResponse<Void> r = client.send(rb.build(), HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() == 200) {
                            okRequests.incrementAndGet();
                            if (n < lat.length) {
                                lat[n++] = System.nanoTime() - s;
                            }
                        } else {
                            failed.incrementAndGet();
                            if (r.statusCode() == 429 || r.statusCode() == 503) {
                                // Back off as OTel exporters do when the server sends a retry hint.
                                refused.incrementAndGet();
                                long retryAfter = r.headers().firstValueAsLong("retry-after").orElse(1);
                                Thread.sleep(Math.min(5_000, retryAfter * 1000));
                            }
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
                lat[lat.length - 1] = n;
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        long[] all = latencies.stream().flatMapToLong(l -> Arrays.stream(l, 0, (int) l[l.length - 1])).sorted().toArray();
        long okSpans = okRequests.get() * template.spanCount;
        System.out.printf("accepted: %d requests, %d spans in %.1f s; failed requests: %d (of which 429/503 with backoff: %d)%n",
                okRequests.get(), okSpans, elapsed, failed.get(), refused.get());
        System.out.printf("throughput: %.0f spans/s, %.1f MB/s%n", okSpans / elapsed, okRequests.get() * template.bytes.length / elapsed / 1e6);
        if (all.length > 0) {
            System.out.printf("latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(all, 0.50), pct(all, 0.90), pct(all, 0.99),
                    all[all.length - 1] / 1e6);
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    /** An encoded request and the offsets of its trace-ID bytes, to patch fresh IDs in cheaply. */
    static final class Template {
        final byte[] bytes;
        final int spanCount;
        final int[][] traceIdOffsets;

        private Template(byte[] bytes, int spanCount, int[][] offsets) {
            this.bytes = bytes;
            this.spanCount = spanCount;
            this.traceIdOffsets = offsets;
        }

        static Template of(ExportTraceServiceRequest req) {
            byte[] bytes = req.toByteArray();
            List<byte[]> ids = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            int spanCount = 0;
            for (ResourceSpans rs : req.getResourceSpansList()) {
                for (ScopeSpans ss : rs.getScopeSpansList()) {
                    for (Span s : ss.getSpansList()) {
                        spanCount++;
                        if (seen.add(s.getTraceId().toStringUtf8() + Arrays.toString(s.getTraceId().toByteArray()))) {
                            ids.add(s.getTraceId().toByteArray());
                        }
                    }
                }
            }
            int[][] offsets = new int[ids.size()][];
            for (int i = 0; i < ids.size(); i++) {
                List<Integer> at = new ArrayList<>();
                byte[] id = ids.get(i);
                for (int p = 0; p <= bytes.length - id.length; p++) {
                    if (Arrays.equals(bytes, p, p + id.length, id, 0, id.length)) {
                        at.add(p);
                    }
                }
                offsets[i] = at.stream().mapToInt(Integer::intValue).toArray();
            }
            return new Template(bytes, spanCount, offsets);
        }

        byte[] withFreshTraceIds() {
            byte[] out = bytes.clone();
            ThreadLocalRandom r = ThreadLocalRandom.current();
            byte[] id = new byte[16];
            for (int[] places : traceIdOffsets) {
                r.nextBytes(id);
                id[0] |= 1;
                for (int p : places) {
                    System.arraycopy(id, 0, out, p, 16);
                }
            }
            return out;
        }
    }
}

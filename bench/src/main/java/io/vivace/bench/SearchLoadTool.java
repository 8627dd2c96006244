package io.vivace.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TraceQL search latency against a running server over stored blocks: ingests {@code -spans} spans
 * of the targets.md corpus over OTLP/HTTP (each request generated afresh, so values vary like real
 * data), where one trace in every {@code -rare-every} requests has its root span renamed to
 * {@code GET /api/rare}; waits until the ingester has written everything into blocks; then runs
 * each query {@code -runs} times over the whole time range and prints p50/p99 latency, the traces
 * found and {@code inspectedBytes / totalBlockBytes}.
 *
 * <ul>
 *   <li>selective: {@code { name = "GET /api/rare" }} with a limit above the number of rare traces,
 *       so every block is searched (the index prunes most record batches);
 *   <li>non-selective: {@code { span.http.status_code = 500 }} (3 % of spans), limit 20;
 *   <li>structural: {@code { kind = server } > { status = error }}, limit 20.
 * </ul>
 *
 * <pre>
 * bench/run-search.sh -spans=5000000 -runs=50
 * </pre>
 */
public final class SearchLoadTool {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SearchLoadTool() {}

    /** Runs the tool. */
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:3200";
        String otlp = "http://127.0.0.1:4318/v1/traces";
        long spans = 1_000_000;
        int rareEvery = 200;
        int runs = 30;
        int ingestThreads = 2;
        int waitTimeoutSeconds = 900;
        for (String a : args) {
            String[] kv = a.replaceFirst("^--?", "").split("=", 2);
            String v = kv.length > 1 ? kv[1] : "true";
            switch (kv[0]) {
                case "url" -> url = v.replaceAll("/+$", "");
                case "otlp" -> otlp = v;
                case "spans" -> spans = Long.parseLong(v);
                case "rare-every" -> rareEvery = Integer.parseInt(v);
                case "runs" -> runs = Integer.parseInt(v);
                case "ingest-threads" -> ingestThreads = Integer.parseInt(v);
                case "wait-timeout" -> waitTimeoutSeconds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown flag " + a
                        + " (expected: -url, -otlp, -spans, -rare-every, -runs, -ingest-threads, -wait-timeout)");
            }
        }
        QueryLoadTool.Client client = new QueryLoadTool.Client(otlp, null);
        int spansPerTrace = 20;
        int tracesPerRequest = 50;
        int requests = (int) (spans / (spansPerTrace * tracesPerRequest));
        long startSeconds = System.currentTimeMillis() / 1000 - 60;
        AtomicLong next = new AtomicLong();
        AtomicLong rare = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        final int every = rareEvery;
        long t0 = System.nanoTime();
        QueryLoadTool.runThreads(ingestThreads, () -> {
            HttpClient http = QueryLoadTool.Client.newHttp();
            for (long r; (r = next.getAndIncrement()) < requests; ) {
                ExportTraceServiceRequest req = Corpus.request(new Random(r), tracesPerRequest, spansPerTrace);
                if (r % every == 0) {
                    req = renameFirstRoot(req);
                    rare.incrementAndGet();
                }
                byte[] body = req.toByteArray();
                int attempts = 0;
                while (client.push(http, body) != 200) {
                    retries.incrementAndGet();
                    if (++attempts > 120) {
                        throw new IllegalStateException("a push failed 120 times; see the server log");
                    }
                    QueryLoadTool.sleep(1000);
                }
            }
        });
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ingest: %d spans in %.1f s (%.0f spans/s), %d rare traces, %d retried pushes%n",
                (long) requests * tracesPerRequest * spansPerTrace, ingestSeconds,
                requests * tracesPerRequest * spansPerTrace / ingestSeconds, rare.get(), retries.get());

        HttpClient http = HttpClient.newHttpClient();
        long w0 = System.nanoTime();
        while (true) {
            double[] held = QueryLoadTool.ingesterMemory(http, url);
            if (held[0] == 0 && held[1] == 0) {
                break;
            }
            if (System.nanoTime() - w0 > Duration.ofSeconds(waitTimeoutSeconds).toNanos()) {
                throw new IllegalStateException("the ingester still holds data after " + waitTimeoutSeconds + " s");
            }
            QueryLoadTool.sleep(500);
        }
        QueryLoadTool.sleep(6000); // let the block list poll see the last blocks
        System.out.printf("wait: everything in blocks after %.1f s%n", (System.nanoTime() - w0) / 1e9);

        long endSeconds = System.currentTimeMillis() / 1000 + 60;
        String range = "&start=" + startSeconds + "&end=" + endSeconds;
        run(http, url, "selective", "{ name = \"GET /api/rare\" }", (int) rare.get() * 2 + 20, range, runs, rare.get());
        run(http, url, "non-selective", "{ span.http.status_code = 500 }", 20, range, runs, 20 + runs - 1);
        run(http, url, "structural", "{ kind = server } > { status = error }", 20, range, runs, 20 + runs - 1);
    }

    private static ExportTraceServiceRequest renameFirstRoot(ExportTraceServiceRequest req) {
        ExportTraceServiceRequest.Builder b = req.toBuilder();
        for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
            for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
                for (Span.Builder s : ss.getSpansBuilderList()) {
                    if (s.getParentSpanId().isEmpty()) {
                        s.setName("GET /api/rare");
                        return b.build();
                    }
                }
            }
        }
        throw new IllegalStateException("no root span in the request");
    }

    private static void run(HttpClient http, String url, String label, String q, int limit, String range, int runs, long expected)
            throws Exception {
        long[] latencies = new long[runs];
        JsonNode last = null;
        for (int i = 0; i < runs; i++) {
            // A different limit each run defeats the job cache: every run reads the blocks again.
            int l = limit + i;
            HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)
                    + "&limit=" + l + range)).timeout(Duration.ofMinutes(2)).build();
            long s = System.nanoTime();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            latencies[i] = System.nanoTime() - s;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(label + ": HTTP " + r.statusCode() + " " + r.body());
            }
            last = JSON.readTree(r.body());
        }
        Arrays.sort(latencies);
        JsonNode m = last.get("metrics");
        int found = last.has("traces") ? last.get("traces").size() : 0;
        long inspected = m.has("inspectedBytes") ? m.get("inspectedBytes").asLong() : 0;
        long total = m.has("totalBlockBytes") ? m.get("totalBlockBytes").asLong() : 0;
        System.out.printf("%s: %s%n  p50 %.1f ms  p99 %.1f ms  traces %d (last run; expected %d)  inspectedBytes %d of %d (%.2f %%)  jobs %d  blocks %d%n",
                label, q, QueryLoadTool.pct(latencies, 0.5), QueryLoadTool.pct(latencies, 0.99), found, expected, inspected, total,
                total == 0 ? 0 : 100.0 * inspected / total, m.path("totalJobs").asInt(), m.path("totalBlocks").asInt());
        if (found < Math.min(expected, 20)) {
            throw new IllegalStateException(label + ": found " + found + " traces (expected at least " + Math.min(expected, 20) + ")");
        }
    }

}

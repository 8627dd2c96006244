package io.vivace.bench;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import io.vivace.model.Traces;
import io.vivace.model.tempopb.TraceByIDResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trace-by-ID latency against a running server: ingests {@code -spans} spans of the targets.md
 * corpus over OTLP/HTTP with trace IDs it records, optionally waits until the ingester has written
 * them all into blocks, then fetches random ones of those traces with
 * {@code GET /api/v2/traces/{id}} ({@code Accept: application/protobuf}) from {@code -threads}
 * threads for {@code -seconds}, optionally while {@code -background-threads} threads keep ingesting
 * fresh traces, and prints p50/p90/p99 latency and the count of 404s (which must be 0: every ID was
 * acknowledged before the queries began). Every {@code -verify-every}-th response is decoded and its
 * span count checked. Exits with status 1 when a query got a 404 or an error, or a check failed.
 *
 * <pre>
 * java -cp bench/target/vivace-bench.jar io.vivace.bench.QueryLoadTool \
 *     -url=http://127.0.0.1:3200 -otlp=http://127.0.0.1:4318/v1/traces -spans=1000000 \
 *     -wait-for-blocks=true -threads=4 -seconds=30 -background-threads=2
 * </pre>
 *
 * {@code bench/run-query.sh} starts a server and runs this tool against it.
 */
public final class QueryLoadTool {
    private static final Pattern METRIC = Pattern.compile("(?m)^(vivace_ingester_memory_bytes|vivace_ingester_live_traces)\\s+(\\S+)$");

    private QueryLoadTool() {}

    /** Runs the tool; see the class comment for flags. */
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:3200";
        String otlp = "http://127.0.0.1:4318/v1/traces";
        long spans = 100_000;
        int spansPerTrace = 20;
        int spansPerRequest = 1000;
        int ingestThreads = 4;
        boolean waitForBlocks = false;
        int waitTimeoutSeconds = 300;
        int threads = 4;
        int seconds = 30;
        int backgroundThreads = 0;
        int verifyEvery = 100;
        String tenant = null;
        for (String a : args) {
            String[] kv = a.replaceFirst("^--?", "").split("=", 2);
            String v = kv.length > 1 ? kv[1] : "true";
            switch (kv[0]) {
                case "url" -> url = v.replaceAll("/+$", "");
                case "otlp" -> otlp = v;
                case "spans" -> spans = Long.parseLong(v);
                case "spans-per-trace" -> spansPerTrace = Integer.parseInt(v);
                case "spans-per-request" -> spansPerRequest = Integer.parseInt(v);
                case "ingest-threads" -> ingestThreads = Integer.parseInt(v);
                case "wait-for-blocks" -> waitForBlocks = Boolean.parseBoolean(v);
                case "wait-timeout" -> waitTimeoutSeconds = Integer.parseInt(v);
                case "threads" -> threads = Integer.parseInt(v);
                case "seconds" -> seconds = Integer.parseInt(v);
                case "background-threads" -> backgroundThreads = Integer.parseInt(v);
                case "verify-every" -> verifyEvery = Integer.parseInt(v);
                case "tenant" -> tenant = v;
                default -> throw new IllegalArgumentException("unknown flag " + a + " (expected: -url, -otlp, -spans, -spans-per-trace,"
                        + " -spans-per-request, -ingest-threads, -wait-for-blocks, -wait-timeout, -threads, -seconds,"
                        + " -background-threads, -verify-every, -tenant)");
            }
        }
        if (spansPerRequest % spansPerTrace != 0 || spans < spansPerRequest) {
            throw new IllegalArgumentException("spans: " + spans + ", spans-per-request: " + spansPerRequest + ", spans-per-trace: "
                    + spansPerTrace + " (expected: spans >= spans-per-request, a multiple of spans-per-trace)");
        }
        LoadTool.Template template = LoadTool.Template.of(Corpus.request(new Random(42), spansPerRequest / spansPerTrace, spansPerTrace));
        Client client = new Client(otlp, tenant);

        // 1. Ingest with recorded IDs.
        int requests = (int) (spans / template.spanCount);
        int tracesPerRequest = template.traceIdOffsets.length;
        long[] ids = new long[2 * requests * tracesPerRequest];
        System.out.printf("ingest: %d requests of %d spans (%d traces each) to %s from %d threads%n", requests, template.spanCount,
                tracesPerRequest, otlp, ingestThreads);
        AtomicLong nextSlot = new AtomicLong();
        AtomicLong ingestFailures = new AtomicLong();
        long t0 = System.nanoTime();
        runThreads(ingestThreads, () -> {
            HttpClient http = Client.newHttp();
            byte[] id = new byte[16];
            for (long slot; (slot = nextSlot.getAndIncrement()) < requests; ) {
                byte[] body = template.bytes.clone();
                int base = (int) (2 * slot * tracesPerRequest);
                boolean accepted = false;
                // 429s (the ingester's memory limit) are expected while blocks drain: back off 1 s as
                // exporters do, for up to a minute per request.
                for (int attempt = 0; attempt < 60 && !accepted; attempt++) {
                    for (int t = 0; t < tracesPerRequest; t++) {
                        ThreadLocalRandom.current().nextBytes(id);
                        id[0] |= 1;
                        for (int p : template.traceIdOffsets[t]) {
                            System.arraycopy(id, 0, body, p, 16);
                        }
                        TraceId tid = TraceId.fromBytes(id);
                        ids[base + 2 * t] = tid.high();
                        ids[base + 2 * t + 1] = tid.low();
                    }
                    accepted = client.push(http, body) == 200;
                    if (!accepted) {
                        ingestFailures.incrementAndGet();
                        sleep(1000);
                    }
                }
                if (!accepted) {
                    throw new IllegalStateException("a push failed 60 times; see the server log");
                }
            }
        });
        double ingestSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("ingest: %d spans in %.1f s (%.0f spans/s), %d failed attempts retried%n", (long) requests * template.spanCount,
                ingestSeconds, requests * template.spanCount / ingestSeconds, ingestFailures.get());

        // 2. Optionally wait until everything is in blocks.
        if (waitForBlocks) {
            long w0 = System.nanoTime();
            long deadline = w0 + Duration.ofSeconds(waitTimeoutSeconds).toNanos();
            HttpClient http = Client.newHttp();
            double[] held;
            while (true) {
                held = ingesterMemory(http, url);
                if (held[0] == 0 && held[1] == 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the ingester still holds " + (long) held[1] + " live traces and " + (long) held[0]
                            + " bytes in memory after " + waitTimeoutSeconds + " s (expected: 0, everything written to blocks)");
                }
                sleep(500);
            }
            System.out.printf("wait: everything in blocks after %.1f s%n", (System.nanoTime() - w0) / 1e9);
        }

        // 3. Queries, with optional background ingest.
        int traceCount = ids.length / 2;
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong notFound = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong checked = new AtomicLong();
        AtomicLong checkFailures = new AtomicLong();
        AtomicLong backgroundSpans = new AtomicLong();
        AtomicLong backgroundFailures = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        final String queryBase = url;
        final int expectedSpans = spansPerTrace;
        final int verify = verifyEvery;
        System.out.printf("query: GET %s/api/v2/traces/{id} of %d traces from %d threads for %d s, %d background ingest threads%n", url,
                traceCount, threads, seconds, backgroundThreads);
        List<Thread> background = new ArrayList<>();
        for (int i = 0; i < backgroundThreads; i++) {
            Thread t = new Thread(() -> {
                HttpClient http = Client.newHttp();
                while (System.nanoTime() < deadline) {
                    if (client.push(http, template.withFreshTraceIds()) == 200) {
                        backgroundSpans.addAndGet(template.spanCount);
                    } else {
                        backgroundFailures.incrementAndGet();
                    }
                }
            }, "background-ingest-" + i);
            t.start();
            background.add(t);
        }
        long q0 = System.nanoTime();
        List<Runnable> queriers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            long[][] mine = {new long[1 << 16]};
            int[] count = {0};
            queriers.add(() -> {
                HttpClient http = Client.newHttp();
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                    int k = r.nextInt(traceCount);
                    String hex = new TraceId(ids[2 * k], ids[2 * k + 1]).toHex();
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(queryBase + "/api/v2/traces/" + hex))
                            .header("Accept", "application/protobuf").timeout(Duration.ofSeconds(30)).GET();
                    if (client.tenant != null) {
                        rb.header("X-Scope-OrgID", client.tenant);
                    }
                    long s = System.nanoTime();
                    HttpResponse<byte[]> resp;
                    try {
                        resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        continue;
                    }
                    long took = System.nanoTime() - s;
                    if (resp.statusCode() == 404) {
                        notFound.incrementAndGet();
                        continue;
                    }
                    if (resp.statusCode() != 200) {
                        if (errors.incrementAndGet() <= 3) {
                            System.err.printf("query %s: HTTP %d %s%n", hex, resp.statusCode(), new String(resp.body()));
                        }
                        continue;
                    }
                    if (count[0] == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], mine[0].length * 2);
                    }
                    mine[0][count[0]++] = took;
                    if (verify > 0 && count[0] % verify == 0) {
                        checked.incrementAndGet();
                        int got = spanCount(resp.body());
                        if (got != expectedSpans) {
                            checkFailures.incrementAndGet();
                            System.err.printf("query %s: %d spans (expected: %d)%n", hex, got, expectedSpans);
                        }
                    }
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            });
        }
        runThreads(queriers);
        double querySeconds = (System.nanoTime() - q0) / 1e9;
        for (Thread t : background) {
            t.join();
        }
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf("query: %d ok in %.1f s (%.0f queries/s); 404: %d; other errors: %d; span counts checked: %d, wrong: %d%n",
                all.length, querySeconds, all.length / querySeconds, notFound.get(), errors.get(), checked.get(), checkFailures.get());
        if (all.length > 0) {
            System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n", pct(all, 0.50), pct(all, 0.90), pct(all, 0.99),
                    all[all.length - 1] / 1e6);
        }
        if (backgroundThreads > 0) {
            System.out.printf("background ingest: %.0f spans/s, %d failed requests%n", backgroundSpans.get() / querySeconds,
                    backgroundFailures.get());
        }
        if (notFound.get() > 0 || errors.get() > 0 || checkFailures.get() > 0 || all.length == 0) {
            System.out.println("FAILED: every query must find its trace");
            System.exit(1);
        }
    }

    private static int spanCount(byte[] body) {
        try {
            List<ResourceSpans> rs = TraceByIDResponse.parseFrom(body).getTrace().getResourceSpansList();
            return Traces.spanCount(rs);
        } catch (Exception e) {
            return -1;
        }
    }

    /** {bytes, live traces} the ingester holds in memory, from {@code /metrics}. */
    static double[] ingesterMemory(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        double[] out = {-1, -1};
        Matcher m = METRIC.matcher(r.body());
        while (m.find()) {
            out[m.group(1).endsWith("bytes") ? 0 : 1] = Double.parseDouble(m.group(2));
        }
        if (out[0] < 0 || out[1] < 0) {
            throw new IllegalStateException(base + "/metrics has no vivace_ingester_memory_bytes or vivace_ingester_live_traces");
        }
        return out;
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (p * sorted.length))] / 1e6;
    }

    static void runThreads(int n, Runnable body) throws InterruptedException {
        List<Runnable> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(body);
        }
        runThreads(bodies);
    }

    /** Runs each body on its own thread and waits; fails when one of them threw. */
    static void runThreads(List<Runnable> bodies) throws InterruptedException {
        List<Thread> started = new ArrayList<>();
        Throwable[] failure = {null};
        for (Runnable b : bodies) {
            Thread t = new Thread(b);
            t.setUncaughtExceptionHandler((th, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            });
            t.start();
            started.add(t);
        }
        for (Thread t : started) {
            t.join();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("a worker failed: " + failure[0], failure[0]);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** OTLP/HTTP pushes with keep-alive connections (one client per thread). */
    record Client(String otlp, String tenant) {
        static HttpClient newHttp() {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        }

        /** The HTTP status, or -1 when the request failed without one. */
        int push(HttpClient http, byte[] body) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(otlp)).header("Content-Type", "application/x-protobuf")
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (tenant != null) {
                rb.header("X-Scope-OrgID", tenant);
            }
            try {
                return http.send(rb.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        }
    }
}

package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vivace.model.tempopb.Trace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under load, SIGKILL the process at a random moment, restart it, and check that every span whose
 * request was acknowledged comes back. Cutting is fast so kills land in every state: live traces,
 * head blocks, blocks being written, WAL being released.
 */
class CrashIT {
    private static final int ROUNDS = 5;
    private static final int SPANS_PER_TRACE = 5;

    @TempDir
    Path dir;

    @Test
    void acknowledgedSpansSurviveKillNine() throws Exception {
        Map<String, Boolean> acked = new ConcurrentHashMap<>();
        Random random = new Random(20261121L);
        Map<String, String> flags = Map.of("ingester.trace_idle_period", "300ms", "ingester.max_block_duration", "1s",
                "ingester.flush_check_period", "100ms", "storage.trace.blocklist_poll", "300ms",
                "overrides.defaults.ingestion.rate_limit_bytes", "500000000",
                "overrides.defaults.ingestion.burst_size_bytes", "500000000");
        try (VivaceProcess v = new VivaceProcess(dir, flags)) {
            for (int round = 0; round < ROUNDS; round++) {
                v.start();
                verify(v, acked);
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> senders = new ArrayList<>();
                for (int t = 0; t < 3; t++) {
                    long seed = random.nextLong();
                    Thread th = new Thread(() -> send(v, new Random(seed), acked, stop));
                    th.start();
                    senders.add(th);
                }
                Thread.sleep(500 + random.nextInt(2500));
                v.kill();
                stop.set(true);
                for (Thread th : senders) {
                    th.join(30_000);
                }
            }
            v.start();
            verify(v, acked);
        }
        assertThat(acked).as("acknowledged traces over %d rounds", ROUNDS).hasSizeGreaterThan(ROUNDS * 20);
    }

    private static void send(VivaceProcess v, Random random, Map<String, Boolean> acked, AtomicBoolean stop) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (!stop.get()) {
            Otlp.Built b = Otlp.request(random, 10, SPANS_PER_TRACE);
            try {
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.otlpHttpPort + "/v1/traces"))
                        .header("Content-Type", "application/x-protobuf")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(b.request().toByteArray())).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    for (String id : b.traceIds()) {
                        acked.put(id, Boolean.TRUE);
                    }
                }
            } catch (Exception connectionLost) {
                // The process was killed: this request was not acknowledged, so nothing is owed.
                return;
            }
        }
    }

    /** Reads every acknowledged trace back, from a few threads (the server has two cores to answer with). */
    private static void verify(VivaceProcess v, Map<String, Boolean> acked) throws Exception {
        List<String> missing = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> checks = new ArrayList<>();
            for (String id : acked.keySet()) {
                checks.add(pool.submit(() -> {
                    HttpResponse<byte[]> r = v.get("/api/traces/" + id, "application/protobuf");
                    if (r.statusCode() != 200) {
                        missing.add(id + " (HTTP " + r.statusCode() + ")");
                        return null;
                    }
                    int spans = Spans.bySpanId(Trace.parseFrom(r.body()).getResourceSpansList()).size();
                    if (spans != SPANS_PER_TRACE) {
                        missing.add(id + " (" + spans + " spans)");
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> c : checks) {
                c.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(missing).as("acknowledged traces missing or incomplete after restart; log:\n%s", v.logTail()).isEmpty();
    }
}

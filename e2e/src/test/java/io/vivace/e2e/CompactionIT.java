package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace arrives in three pieces that end up in three blocks (one span sent twice); the
 * compactor running in the single binary merges them into one block, the duplicate disappears,
 * the replaced blocks are deleted after the grace period, and the trace reads back whole by ID and
 * by search throughout.
 */
class CompactionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

    @TempDir
    Path dir;

    @Test
    void blocksOfOneTraceAreMergedDeduplicatedAndTheInputsDeleted() throws Exception {
        Map<String, String> flags = Map.of("ingester.trace_idle_period", "300ms", "ingester.max_block_duration", "1s",
                "ingester.flush_check_period", "100ms", "storage.trace.blocklist_poll", "300ms",
                "compactor.compaction.compaction_cycle", "1s", "compactor.compaction.compacted_block_retention", "2s");
        try (VivaceProcess v = new VivaceProcess(dir, flags)) {
            v.start();
            long now = System.currentTimeMillis() * 1_000_000L;
            // Three pieces, each waited into its own block before the next is sent; span 2 comes twice.
            long[][] pieces = {{1, 2}, {2, 3}, {4}};
            for (int i = 0; i < pieces.length; i++) {
                send(v, now, pieces[i]);
                // Written into a block once the ingester holds nothing in memory.
                waitFor(() -> ingesterBytes(v), n -> n == 0, "piece " + (i + 1) + " written");
            }
            // The compactor merges the blocks into one (its level depends on how the merges went) and
            // deletes the inputs after the grace period.
            waitFor(() -> metas(), m -> m.size() == 1 && totalSpans(m.get(0)) == 4 && levels().get(0) >= 1,
                    "one compacted block holding the 4 distinct spans");
            waitFor(this::blockDirectories, d -> d.size() == 1, "replaced blocks deleted, markers and all");

            Thread.sleep(1000); // the block list polls every 300 ms
            HttpResponse<String> byId = v.get("/api/v2/traces/" + TRACE);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(spanNames(JSON.readTree(byId.body()))).containsExactly("op-1", "op-2", "op-3", "op-4");

            long s = now / 1_000_000_000L;
            HttpResponse<String> search = v.get("/api/search?q=" + URLEncoder.encode("{ name = \"op-3\" }", StandardCharsets.UTF_8)
                    + "&start=" + (s - 60) + "&end=" + (s + 60));
            JsonNode traces = JSON.readTree(search.body()).get("traces");
            assertThat(traces).hasSize(1);
            assertThat(traces.get(0).get("traceID").asText()).isEqualTo(TRACE.replaceFirst("^0+", ""));
            assertThat(traces.get(0).get("serviceStats").get("svc").get("spanCount").asInt()).isEqualTo(4);
        }
    }

    private void send(VivaceProcess v, long now, long... spans) throws Exception {
        StringBuilder s = new StringBuilder();
        for (long id : spans) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            String parent = id == 1 ? "" : ",\"parentSpanId\":\"0000000000000001\"";
            s.append("{\"traceId\":\"").append(TRACE).append("\",\"spanId\":\"").append(String.format("%016x", id)).append('"')
                    .append(parent).append(",\"name\":\"op-").append(id).append("\",\"kind\":2,\"startTimeUnixNano\":\"")
                    .append(now + id * 1000).append("\",\"endTimeUnixNano\":\"").append(now + id * 1000 + 5_000_000).append("\"}");
        }
        String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]},"
                + "\"scopeSpans\":[{\"spans\":[" + s + "]}]}]}";
        HttpResponse<String> r = v.post(v.otlpHttpPort, "/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private List<Path> metas() throws Exception {
        Path blocks = dir.resolve("blocks");
        if (!Files.exists(blocks)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(blocks)) {
            // Only visible blocks: a block marked compacted is on its way out.
            return s.filter(p -> p.getFileName().toString().equals("meta.json"))
                    .filter(p -> !Files.exists(p.resolveSibling("compacted.json"))).toList();
        }
    }

    private static double ingesterBytes(VivaceProcess v) throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^vivace_ingester_memory_bytes\\s+(\\S+)$")
                .matcher(v.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    private static long totalSpans(Path meta) {
        try {
            return JSON.readTree(meta.toFile()).get("totalSpans").asLong();
        } catch (Exception e) {
            return 0;
        }
    }

    private List<Integer> levels() {
        try {
            List<Integer> out = new ArrayList<>();
            for (Path m : metas()) {
                out.add(JSON.readTree(m.toFile()).get("compactionLevel").asInt());
            }
            out.sort(Integer::compare);
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    private TreeSet<String> blockDirectories() throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir.resolve("blocks").resolve("single-tenant"))) {
            s.filter(Files::isDirectory).forEach(p -> out.add(p.getFileName().toString()));
        }
        return out;
    }

    private static List<String> spanNames(JsonNode v2) {
        List<String> names = new ArrayList<>();
        v2.get("trace").get("resourceSpans").forEach(rs -> rs.get("scopeSpans").forEach(ss -> ss.get("spans")
                .forEach(sp -> names.add(sp.get("name").asText()))));
        names.sort(String::compareTo);
        return names;
    }

    @FunctionalInterface
    private interface Probe<T> {
        T get() throws Exception;
    }

    private static <T> T waitFor(Probe<T> probe, Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        T last = null;
        while (System.nanoTime() < deadline) {
            last = probe.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "; last: " + last);
    }
}

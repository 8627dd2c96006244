package io.vivace.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Blocks on an S3-compatible server (S3Proxy in this JVM) that stops while spans keep arriving: the
 * ingester keeps acknowledging them (the WAL absorbs them), its flushes fail and are retried, the
 * process is killed with SIGKILL while the server is down, and once the server and the process are
 * back every acknowledged span is found, by ID and by search, from blocks in the bucket.
 */
class S3FaultIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCESS = "vivace-access";
    private static final String SECRET = "vivace-secret-key";
    private static final String BUCKET = "traces";

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedSpanSurvivesAnS3OutageAndAKill() throws Exception {
        int port = VivaceProcess.freePorts(1)[0];
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        TransientNio2BlobStore blobs = new TransientNio2BlobStore();
        S3Proxy proxy = startProxy(blobs, endpoint);
        try (S3Client s3 = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build()) {
            s3.createBucket(b -> b.bucket(BUCKET));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("storage.trace.backend", "s3");
        flags.put("storage.trace.s3.bucket", BUCKET);
        flags.put("storage.trace.s3.endpoint", "127.0.0.1:" + port);
        flags.put("storage.trace.s3.insecure", "true");
        flags.put("storage.trace.s3.forcepathstyle", "true");
        flags.put("storage.trace.s3.access_key", ACCESS);
        flags.put("storage.trace.s3.secret_key", SECRET);
        flags.put("storage.trace.s3.max_retries", "1");
        flags.put("storage.trace.s3.connect_timeout", "500ms");
        flags.put("storage.trace.s3.read_timeout", "2s");
        flags.put("ingester.trace_idle_period", "300ms");
        flags.put("ingester.max_block_duration", "1s");
        flags.put("ingester.flush_check_period", "100ms");
        flags.put("storage.trace.blocklist_poll", "300ms");
        List<String> traces = new ArrayList<>();
        long now = System.currentTimeMillis() * 1_000_000L;
        try (VivaceProcess v = new VivaceProcess(dir, flags)) {
            v.start();
            for (int i = 0; i < 5; i++) {
                traces.add(send(v, now, "before-" + i));
            }
            waitFor(() -> metric(v, "vivace_ingester_memory_bytes") == 0, "the first traces written to S3", v);

            proxy.stop();
            for (int i = 0; i < 5; i++) {
                traces.add(send(v, now, "during-" + i)); // acknowledged: the WAL holds them
            }
            waitFor(() -> metric(v, "vivace_ingester_flush_failures_total") >= 1, "a failed flush while S3 is down", v);
            v.kill();

            proxy = startProxy(blobs, endpoint);
            v.start(); // replays the WAL, then writes the replayed traces to S3
            waitFor(() -> metric(v, "vivace_ingester_memory_bytes") == 0, "the replayed traces written to S3", v);
            Thread.sleep(1000); // block list poll

            for (String id : traces) {
                HttpResponse<String> r = v.get("/api/v2/traces/" + id);
                assertThat(r.statusCode()).as("trace " + id + ": " + r.body() + "\n" + v.logTail()).isEqualTo(200);
                assertThat(JSON.readTree(r.body()).get("trace").get("resourceSpans").get(0).get("scopeSpans").get(0)
                        .get("spans")).hasSize(2);
            }
            long s = now / 1_000_000_000L;
            JsonNode found = JSON.readTree(v.get("/api/search?q=" + URLEncoder.encode("{ name =~ \"during-.*\" }", StandardCharsets.UTF_8)
                    + "&limit=100&start=" + (s - 60) + "&end=" + (s + 60)).body());
            assertThat(found.get("traces")).hasSize(5);
        } finally {
            proxy.stop();
        }
    }

    /** Sends one trace of two spans named {@code name}; returns its ID. */
    private static String send(VivaceProcess v, long now, String name) throws Exception {
        String id = String.format("%032x", Math.abs((long) name.hashCode()) + 1);
        String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"svc\"}}]},"
                + "\"scopeSpans\":[{\"spans\":["
                + "{\"traceId\":\"" + id + "\",\"spanId\":\"0000000000000001\",\"name\":\"" + name + "\",\"kind\":2,"
                + "\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 5_000_000) + "\"},"
                + "{\"traceId\":\"" + id + "\",\"spanId\":\"0000000000000002\",\"parentSpanId\":\"0000000000000001\",\"name\":\"child\","
                + "\"startTimeUnixNano\":\"" + (now + 1000) + "\",\"endTimeUnixNano\":\"" + (now + 2_000_000) + "\"}]}]}]}";
        HttpResponse<String> r = v.post(v.otlpHttpPort, "/v1/traces", "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return id;
    }

    private static double metric(VivaceProcess v, String name) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})?\\s+(\\S+)$").matcher(v.get("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void waitFor(Condition c, String what, VivaceProcess v) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (c.holds()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + "\n" + v.logTail());
    }

    private static S3Proxy startProxy(TransientNio2BlobStore blobs, URI endpoint) throws Exception {
        S3Proxy proxy = S3Proxy.builder().blobStore(blobs).endpoint(endpoint)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET).build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start on " + endpoint + ": " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return proxy;
    }
}

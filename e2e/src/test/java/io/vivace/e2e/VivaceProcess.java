package io.vivace.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged Vivace JAR started as a separate process on free loopback ports, with its data under
 * a directory of the test's. Restartable on the same data; killable with SIGKILL.
 */
final class VivaceProcess implements AutoCloseable {
    final Path dataDir;
    final int httpPort;
    final int grpcPort;
    final int otlpGrpcPort;
    final int otlpHttpPort;
    final int zipkinPort;
    private final Map<String, String> extraFlags;
    private final Path log;
    private Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    VivaceProcess(Path dataDir, Map<String, String> extraFlags) throws IOException {
        this.dataDir = dataDir;
        this.extraFlags = new LinkedHashMap<>(extraFlags);
        int[] ports = freePorts(5);
        this.httpPort = ports[0];
        this.grpcPort = ports[1];
        this.otlpGrpcPort = ports[2];
        this.otlpHttpPort = ports[3];
        this.zipkinPort = ports[4];
        this.log = dataDir.resolve("vivace.log");
        Files.createDirectories(dataDir);
    }

    /** Starts the process and waits until {@code /ready} answers 200. */
    VivaceProcess start() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("vivace.java", "java"),
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED", "-Xmx768m", "-XX:MaxDirectMemorySize=256m",
                "-jar", jar().toString(),
                "-server.http_listen_port=" + httpPort,
                "-server.grpc_listen_port=" + grpcPort,
                "-distributor.receivers.otlp.protocols.grpc.endpoint=127.0.0.1:" + otlpGrpcPort,
                "-distributor.receivers.otlp.protocols.http.endpoint=127.0.0.1:" + otlpHttpPort,
                "-distributor.receivers.zipkin.endpoint=127.0.0.1:" + zipkinPort,
                "-storage.trace.local.path=" + dataDir.resolve("blocks"),
                "-storage.trace.wal.path=" + dataDir.resolve("wal")));
        extraFlags.forEach((k, v) -> cmd.add("-" + k + "=" + v));
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("vivace exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> r = get("/ready");
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("vivace not ready within 60 s:\n" + logTail());
    }

    /** SIGTERM and wait: the graceful path (drain, flush). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("vivace did not stop within 60 s of SIGTERM:\n" + logTail());
            }
        }
    }

    /** SIGKILL: no shutdown hook runs. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> get(String path, String accept) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> post(int port, String path, String contentType, byte[] body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Path jar() {
        Path p = Path.of(System.getProperty("vivace.jar", "../app/target/vivace.jar"));
        if (!Files.exists(p)) {
            throw new IllegalStateException("packaged JAR not found at " + p.toAbsolutePath() + " (run the build first)");
        }
        return p;
    }

    static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                s.setReuseAddress(true);
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}

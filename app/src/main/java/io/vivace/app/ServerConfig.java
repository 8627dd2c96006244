package io.vivace.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code server} section, keyed as in Tempo.
 *
 * @param httpListenAddress interface of the HTTP API and, when a receiver's endpoint is empty, of
 *     the receivers; {@code 127.0.0.1} by default, {@code 0.0.0.0} opens every interface
 * @param httpListenPort the HTTP API port (Grafana's datasource URL), also serving gRPC streaming (h2c)
 * @param grpcListenAddress interface of the internal gRPC port
 * @param grpcListenPort the internal gRPC port
 * @param logLevel {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param logFormat {@code logfmt} or {@code json}
 * @param gracefulShutdownTimeout how long SIGTERM waits for in-flight requests and flushes
 */
public record ServerConfig(
        String httpListenAddress,
        int httpListenPort,
        String grpcListenAddress,
        int grpcListenPort,
        String logLevel,
        String logFormat,
        Duration gracefulShutdownTimeout) {

    /** Defaults: loopback only, Tempo's ports. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 3200, "127.0.0.1", 9095, "info", "logfmt", Duration.ofSeconds(30));
    }

    /** Problems, empty when valid. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        if (httpListenPort < 0 || httpListenPort > 65535) {
            errors.add("server.http_listen_port: " + httpListenPort + " (expected: 0..65535)");
        }
        if (grpcListenPort < 0 || grpcListenPort > 65535) {
            errors.add("server.grpc_listen_port: " + grpcListenPort + " (expected: 0..65535)");
        }
        if (!List.of("debug", "info", "warn", "error").contains(logLevel)) {
            errors.add("server.log_level: " + logLevel + " (expected: debug, info, warn or error)");
        }
        if (!List.of("logfmt", "json").contains(logFormat)) {
            errors.add("server.log_format: " + logFormat + " (expected: logfmt or json)");
        }
        return errors;
    }
}

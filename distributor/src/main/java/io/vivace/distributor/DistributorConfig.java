package io.vivace.distributor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code distributor} section, keyed as in Tempo (whose receivers are the OpenTelemetry
 * Collector's, so the receiver keys are the Collector's): {@code distributor.receivers.otlp.protocols.grpc.endpoint},
 * {@code ...grpc.max_recv_msg_size_mib}, {@code ...http.endpoint}, {@code ...http.max_request_body_size},
 * {@code distributor.receivers.zipkin.endpoint}, {@code ...zipkin.max_request_body_size} and
 * {@code distributor.retry_after_on_resource_exhausted}. Components are camelCase; the configuration
 * loader maps them to snake_case keys.
 *
 * <p>A receiver whose section is {@code null} (for example {@code zipkin: null} in YAML) is disabled.
 * An empty endpoint means "the server's listen address, on the receiver's default port".
 *
 * @param receivers the receivers
 * @param retryAfterOnResourceExhausted the retry delay sent with rate-limit refusals (gRPC
 *     {@code RetryInfo}, HTTP {@code Retry-After}); zero sends no retry hint, as Tempo 2.x did
 */
public record DistributorConfig(Receivers receivers, Duration retryAfterOnResourceExhausted) {

    /** Default OTLP/gRPC port. */
    public static final int OTLP_GRPC_PORT = 4317;
    /** Default OTLP/HTTP port. */
    public static final int OTLP_HTTP_PORT = 4318;
    /** Default Zipkin port. */
    public static final int ZIPKIN_PORT = 9411;
    /** Default largest gRPC message, in MiB (the Collector's default). */
    public static final int DEFAULT_MAX_RECV_MSG_SIZE_MIB = 4;
    /** Default largest HTTP request body, in bytes (the Collector's {@code confighttp} default, 20 MiB). */
    public static final long DEFAULT_MAX_REQUEST_BODY_SIZE = 20L * 1024 * 1024;

    /**
     * The receivers; a {@code null} receiver is disabled.
     *
     * @param otlp the OTLP receiver
     * @param zipkin the Zipkin receiver
     */
    public record Receivers(Otlp otlp, Zipkin zipkin) {}

    /**
     * The OTLP receiver.
     *
     * @param protocols its protocols
     */
    public record Otlp(Protocols protocols) {}

    /**
     * OTLP protocols; a {@code null} protocol is disabled.
     *
     * @param grpc OTLP/gRPC
     * @param http OTLP/HTTP
     */
    public record Protocols(Grpc grpc, Http http) {}

    /**
     * OTLP/gRPC.
     *
     * @param endpoint {@code host:port}, or empty for the server's listen address on port 4317
     * @param maxRecvMsgSizeMib largest accepted message after decompression, in MiB
     */
    public record Grpc(String endpoint, int maxRecvMsgSizeMib) {}

    /**
     * OTLP/HTTP.
     *
     * @param endpoint {@code host:port}, or empty for the server's listen address on port 4318
     * @param maxRequestBodySize largest accepted body in bytes, compressed and after decompression
     */
    public record Http(String endpoint, long maxRequestBodySize) {}

    /**
     * Zipkin.
     *
     * @param endpoint {@code host:port}, or empty for the server's listen address on port 9411
     * @param maxRequestBodySize largest accepted body in bytes, compressed and after decompression
     */
    public record Zipkin(String endpoint, long maxRequestBodySize) {}

    /**
     * A resolved listen address.
     *
     * @param host host name or IP literal (IPv6 without brackets)
     * @param port TCP port
     */
    public record Endpoint(String host, int port) {
        /** Checks the components. */
        public Endpoint {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
            }
        }
    }

    /** Every receiver on, on its default port, with the Collector's size limits and Tempo 3's 5 s retry delay. */
    public static DistributorConfig defaults() {
        return new DistributorConfig(
                new Receivers(
                        new Otlp(new Protocols(
                                new Grpc("", DEFAULT_MAX_RECV_MSG_SIZE_MIB),
                                new Http("", DEFAULT_MAX_REQUEST_BODY_SIZE))),
                        new Zipkin("", DEFAULT_MAX_REQUEST_BODY_SIZE)),
                Duration.ofSeconds(5));
    }

    /** The OTLP/gRPC receiver, or {@code null} when disabled. */
    public Grpc otlpGrpc() {
        Protocols p = otlpProtocols();
        return p == null ? null : p.grpc();
    }

    /** The OTLP/HTTP receiver, or {@code null} when disabled. */
    public Http otlpHttp() {
        Protocols p = otlpProtocols();
        return p == null ? null : p.http();
    }

    /** The Zipkin receiver, or {@code null} when disabled. */
    public Zipkin zipkin() {
        return receivers == null ? null : receivers.zipkin();
    }

    private Protocols otlpProtocols() {
        return receivers == null || receivers.otlp() == null ? null : receivers.otlp().protocols();
    }

    /** The retry delay, never {@code null} ({@code null} in the record means zero). */
    public Duration retryAfter() {
        return retryAfterOnResourceExhausted == null ? Duration.ZERO : retryAfterOnResourceExhausted;
    }

    /** Problems, empty when valid; each names its key and what was expected. */
    public List<String> validate() {
        List<String> errors = new ArrayList<>();
        Map<Integer, String> ports = new HashMap<>();
        Grpc grpc = otlpGrpc();
        if (grpc != null) {
            String key = "distributor.receivers.otlp.protocols.grpc";
            checkEndpoint(errors, ports, key + ".endpoint", grpc.endpoint(), OTLP_GRPC_PORT);
            if (grpc.maxRecvMsgSizeMib() <= 0 || grpc.maxRecvMsgSizeMib() > 2047) {
                errors.add(key + ".max_recv_msg_size_mib: " + grpc.maxRecvMsgSizeMib() + " (expected: 1-2047)");
            }
        }
        Http http = otlpHttp();
        if (http != null) {
            String key = "distributor.receivers.otlp.protocols.http";
            checkEndpoint(errors, ports, key + ".endpoint", http.endpoint(), OTLP_HTTP_PORT);
            checkBodySize(errors, key + ".max_request_body_size", http.maxRequestBodySize());
        }
        Zipkin zipkin = zipkin();
        if (zipkin != null) {
            String key = "distributor.receivers.zipkin";
            checkEndpoint(errors, ports, key + ".endpoint", zipkin.endpoint(), ZIPKIN_PORT);
            checkBodySize(errors, key + ".max_request_body_size", zipkin.maxRequestBodySize());
        }
        if (retryAfterOnResourceExhausted != null && retryAfterOnResourceExhausted.isNegative()) {
            errors.add("distributor.retry_after_on_resource_exhausted: " + retryAfterOnResourceExhausted
                    + " (expected: >= 0)");
        }
        return errors;
    }

    private static void checkEndpoint(List<String> errors, Map<Integer, String> ports, String key, String endpoint,
            int defaultPort) {
        try {
            // The host does not matter for validation; only the port is compared between receivers.
            Endpoint e = resolveEndpoint(key, endpoint, "0.0.0.0", defaultPort);
            String previous = ports.putIfAbsent(e.port(), key);
            if (previous != null) {
                errors.add(key + ": port " + e.port() + " is already used by " + previous
                        + " (expected: a port per receiver)");
            }
        } catch (IllegalArgumentException ex) {
            errors.add(ex.getMessage());
        }
    }

    private static void checkBodySize(List<String> errors, String key, long size) {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            errors.add(key + ": " + size + " (expected: 1-" + Integer.MAX_VALUE + ")");
        }
    }

    /**
     * Resolves a receiver endpoint written as Go's {@code host:port}: empty means
     * {@code defaultHost:defaultPort}, an empty host ({@code ":4317"}) means {@code defaultHost}, and
     * IPv6 hosts are written in brackets ({@code [::1]:4317}).
     *
     * @param key the configuration key, used in error messages
     * @param endpoint the configured value, {@code null} or empty for the defaults
     * @param defaultHost the host used when the endpoint has none
     * @param defaultPort the port used when the endpoint is empty
     * @throws IllegalArgumentException like {@code distributor.receivers.zipkin.endpoint: "x:y" (expected: host:port)}
     */
    public static Endpoint resolveEndpoint(String key, String endpoint, String defaultHost, int defaultPort) {
        Objects.requireNonNull(defaultHost, "defaultHost");
        if (endpoint == null || endpoint.isBlank()) {
            return new Endpoint(defaultHost, defaultPort);
        }
        String e = endpoint.trim();
        String host;
        String portText;
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0 || close + 1 >= e.length() || e.charAt(close + 1) != ':') {
                throw badEndpoint(key, endpoint);
            }
            host = e.substring(1, close);
            portText = e.substring(close + 2);
        } else {
            int colon = e.lastIndexOf(':');
            if (colon < 0 || e.indexOf(':') != colon) {
                throw badEndpoint(key, endpoint);
            }
            host = e.substring(0, colon);
            portText = e.substring(colon + 1);
        }
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException ex) {
            throw badEndpoint(key, endpoint);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(key + ": \"" + endpoint + "\" (expected: host:port with a port in 1-65535)");
        }
        if (host.chars().anyMatch(Character::isWhitespace)) {
            throw badEndpoint(key, endpoint);
        }
        return new Endpoint(host.isEmpty() ? defaultHost : host, port);
    }

    private static IllegalArgumentException badEndpoint(String key, String endpoint) {
        return new IllegalArgumentException(key + ": \"" + endpoint + "\" (expected: host:port)");
    }
}

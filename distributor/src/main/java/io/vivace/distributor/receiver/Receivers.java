package io.vivace.distributor.receiver;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.VirtualHostBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import io.grpc.DecompressorRegistry;
import io.vivace.distributor.Distributor;
import io.vivace.distributor.DistributorConfig;
import io.vivace.distributor.DistributorConfig.Endpoint;
import io.vivace.distributor.DistributorMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The ingest receivers as Armeria services, for the application's one {@code Server}.
 *
 * <p>Each receiver listens on its own port, as in Tempo. {@link #bind(ServerBuilder, String)} adds
 * a port per enabled receiver and a port-based virtual host ({@link ServerBuilder#virtualHost(int)})
 * holding only that receiver's route, so that, for example, {@code /v1/traces} answers on 4318 and
 * nowhere else, and the query API's routes on the default virtual host do not answer on 4318:
 *
 * <pre>{@code
 * Distributor distributor = new Distributor(config.distributor(), overrides, multitenancy, ingestLog, registry);
 * Receivers receivers = new Receivers(distributor, config.distributor());
 * ServerBuilder sb = Server.builder().http(3200);       // query API on the default virtual host
 * List<Receivers.Binding> bound = receivers.bind(sb, "0.0.0.0");   // 4317, 4318, 9411 by default
 * Server server = sb.build();
 * }</pre>
 *
 * <p>{@link #bindOtlpGrpc}, {@link #bindOtlpHttp} and {@link #bindZipkin} bind one receiver to an
 * explicit address; {@link #addTo(ServerBuilder)} mounts every enabled receiver on the default
 * virtual host instead, on whatever ports the server already has (tests, one-port deployments).
 * Every request is timed in {@code vivace_distributor_request_duration_seconds{receiver,status}}.
 * Armeria's server-wide request timeout (10 s by default) bounds how long a request may wait for the
 * ingest log.
 */
public final class Receivers {
    /** The tenant header ({@code X-Scope-OrgID}); gRPC metadata keys are its lowercase form. */
    public static final String ORG_ID_HEADER = "x-scope-orgid";
    /** Receiver label of OTLP/gRPC in metrics. */
    public static final String OTLP_GRPC = "otlp_grpc";
    /** Receiver label of OTLP/HTTP in metrics. */
    public static final String OTLP_HTTP = "otlp_http";
    /** Receiver label of Zipkin in metrics. */
    public static final String ZIPKIN = "zipkin";

    /** Path prefix of the OTLP trace gRPC service. */
    static final String GRPC_PATH_PREFIX = "/opentelemetry.proto.collector.trace.v1.TraceService/";

    private final Distributor distributor;
    private final DistributorConfig config;

    /**
     * A receiver bound to an address.
     *
     * @param receiver {@link #OTLP_GRPC}, {@link #OTLP_HTTP} or {@link #ZIPKIN}
     * @param endpoint the address it listens on
     */
    public record Binding(String receiver, Endpoint endpoint) {}

    /**
     * Creates the receivers of {@code config}; the disabled ones ({@code null} sections) are never bound.
     *
     * @throws IllegalArgumentException when {@code config} is invalid, listing every problem
     */
    public Receivers(Distributor distributor, DistributorConfig config) {
        this.distributor = Objects.requireNonNull(distributor, "distributor");
        this.config = Objects.requireNonNull(config, "config");
        List<String> errors = config.validate();
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid distributor configuration: " + String.join("; ", errors));
        }
    }

    /** The OTLP/gRPC service, or {@code null} when that receiver is disabled. Not instrumented; see {@link #timed}. */
    public GrpcService otlpGrpcService() {
        DistributorConfig.Grpc grpc = config.otlpGrpc();
        if (grpc == null) {
            return null;
        }
        return GrpcService.builder()
                .addService(new OtlpGrpcService(distributor))
                .maxRequestMessageLength(grpc.maxRecvMsgSizeMib() * 1024 * 1024)
                // gzip and identity; OTLP requires servers to accept gzip.
                .decompressorRegistry(DecompressorRegistry.getDefaultInstance())
                .enableUnframedRequests(false)
                .build();
    }

    /** The OTLP/HTTP service for {@link OtlpHttpService#PATH}, or {@code null} when disabled. Not instrumented. */
    public HttpService otlpHttpService() {
        DistributorConfig.Http http = config.otlpHttp();
        return http == null ? null : new OtlpHttpService(distributor, http.maxRequestBodySize());
    }

    /** The Zipkin service for {@link ZipkinService#PATH}, or {@code null} when disabled. Not instrumented. */
    public HttpService zipkinService() {
        DistributorConfig.Zipkin zipkin = config.zipkin();
        return zipkin == null ? null : new ZipkinService(distributor, zipkin.maxRequestBodySize());
    }

    /**
     * A decorator timing every request of {@code receiver} into
     * {@code vivace_distributor_request_duration_seconds}; {@code status} is the HTTP status, or the
     * gRPC status code for OTLP/gRPC.
     */
    public Function<? super HttpService, ? extends HttpService> timed(String receiver) {
        DistributorMetrics metrics = distributor.metrics();
        return delegate -> delegate.decorate((d, ctx, req) -> {
            ctx.log().whenComplete().thenAccept(log ->
                    metrics.request(receiver, status(log), Duration.ofNanos(log.totalDurationNanos())));
            return d.serve(ctx, req);
        });
    }

    private static String status(RequestLog log) {
        String grpc = log.responseTrailers().get("grpc-status");
        if (grpc == null) {
            grpc = log.responseHeaders().get("grpc-status");
        }
        return grpc != null ? "grpc_" + grpc : Integer.toString(log.responseHeaders().status().code());
    }

    /**
     * Binds every enabled receiver to its configured endpoint, each on its own port and port-based
     * virtual host.
     *
     * @param sb the application's server builder
     * @param defaultHost the host of endpoints that name none (the server's listen address)
     * @return what was bound, in the order OTLP/gRPC, OTLP/HTTP, Zipkin
     */
    public List<Binding> bind(ServerBuilder sb, String defaultHost) {
        List<Binding> bound = new ArrayList<>(3);
        DistributorConfig.Grpc grpc = config.otlpGrpc();
        if (grpc != null) {
            Endpoint e = DistributorConfig.resolveEndpoint("distributor.receivers.otlp.protocols.grpc.endpoint",
                    grpc.endpoint(), defaultHost, DistributorConfig.OTLP_GRPC_PORT);
            bindOtlpGrpc(sb, e);
            bound.add(new Binding(OTLP_GRPC, e));
        }
        DistributorConfig.Http http = config.otlpHttp();
        if (http != null) {
            Endpoint e = DistributorConfig.resolveEndpoint("distributor.receivers.otlp.protocols.http.endpoint",
                    http.endpoint(), defaultHost, DistributorConfig.OTLP_HTTP_PORT);
            bindOtlpHttp(sb, e);
            bound.add(new Binding(OTLP_HTTP, e));
        }
        DistributorConfig.Zipkin zipkin = config.zipkin();
        if (zipkin != null) {
            Endpoint e = DistributorConfig.resolveEndpoint("distributor.receivers.zipkin.endpoint",
                    zipkin.endpoint(), defaultHost, DistributorConfig.ZIPKIN_PORT);
            bindZipkin(sb, e);
            bound.add(new Binding(ZIPKIN, e));
        }
        return bound;
    }

    /**
     * Listens on {@code endpoint} (HTTP/2 cleartext and HTTP/1.1) and serves OTLP/gRPC there only.
     *
     * @throws IllegalStateException when the receiver is disabled
     */
    public void bindOtlpGrpc(ServerBuilder sb, Endpoint endpoint) {
        GrpcService service = require(otlpGrpcService(), "distributor.receivers.otlp.protocols.grpc");
        listen(sb, endpoint, GRPC_PATH_PREFIX, true).service(service, grpcBodyLimit(), timed(OTLP_GRPC));
    }

    /**
     * Listens on {@code endpoint} and serves OTLP/HTTP ({@code /v1/traces}) there only.
     *
     * @throws IllegalStateException when the receiver is disabled
     */
    public void bindOtlpHttp(ServerBuilder sb, Endpoint endpoint) {
        HttpService service = require(otlpHttpService(), "distributor.receivers.otlp.protocols.http");
        listen(sb, endpoint, OtlpHttpService.PATH, false).service(OtlpHttpService.PATH, service.decorate(timed(OTLP_HTTP)));
    }

    /**
     * Listens on {@code endpoint} and serves Zipkin ({@code /api/v2/spans}) there only.
     *
     * @throws IllegalStateException when the receiver is disabled
     */
    public void bindZipkin(ServerBuilder sb, Endpoint endpoint) {
        HttpService service = require(zipkinService(), "distributor.receivers.zipkin");
        listen(sb, endpoint, ZipkinService.PATH, false).service(ZipkinService.PATH, service.decorate(timed(ZIPKIN)));
    }

    /**
     * Mounts every enabled receiver on the default virtual host, on the server's existing ports. The
     * routes do not clash with Tempo's query API: {@code /v1/traces}, {@code /api/v2/spans} and
     * {@code /opentelemetry.proto.collector.trace.v1.TraceService/Export}.
     */
    public void addTo(ServerBuilder sb) {
        GrpcService grpc = otlpGrpcService();
        if (grpc != null) {
            sb.service(grpc, grpcBodyLimit(), timed(OTLP_GRPC));
        }
        HttpService http = otlpHttpService();
        if (http != null) {
            sb.service(OtlpHttpService.PATH, http.decorate(timed(OTLP_HTTP)));
        }
        HttpService zipkin = zipkinService();
        if (zipkin != null) {
            sb.service(ZipkinService.PATH, zipkin.decorate(timed(ZIPKIN)));
        }
    }

    /**
     * Lets a gRPC request body be as large as the configured message size (plus framing), which may be
     * more than the server's default request length.
     */
    private Function<? super HttpService, ? extends HttpService> grpcBodyLimit() {
        long limit = (long) config.otlpGrpc().maxRecvMsgSizeMib() * 1024 * 1024 + 1024;
        return delegate -> delegate.decorate((d, ctx, req) -> {
            ctx.setMaxRequestLength(limit);
            return d.serve(ctx, req);
        });
    }

    /**
     * Adds a port for {@code endpoint} and returns its port-based virtual host. Armeria also serves
     * the default virtual host's routes on a port-based virtual host; a decorator answering 404 for
     * any path outside {@code ownPath} keeps the query API off the receiver ports, as in Tempo.
     */
    private static VirtualHostBuilder listen(ServerBuilder sb, Endpoint endpoint, String ownPath, boolean prefix) {
        sb.port(new InetSocketAddress(endpoint.host(), endpoint.port()), SessionProtocol.HTTP);
        return sb.virtualHost(endpoint.port()).decorator((delegate, ctx, req) -> {
            String path = ctx.path();
            boolean own = prefix ? path.startsWith(ownPath) : path.equals(ownPath);
            return own ? delegate.serve(ctx, req) : HttpResponse.of(HttpStatus.NOT_FOUND);
        });
    }

    private static <T> T require(T service, String key) {
        if (service == null) {
            throw new IllegalStateException(key + " is disabled (null); configure it to bind it");
        }
        return service;
    }
}

package io.vivace.app;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.encoding.EncodingService;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vivace.common.lifecycle.Service;
import io.vivace.distributor.receiver.Receivers;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Vivace process: the wired modules and the Armeria server serving every port. Start order:
 * the server first (so {@code /ready} can say 503 while the WAL replays), then the services; stop
 * order: stop accepting, drain, stop services in reverse (the ingester flushes last).
 */
public final class VivaceApp implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VivaceApp.class);

    private final VivaceConfig config;
    private final PrometheusMeterRegistry registry;
    private final ModuleRegistry.Modules modules;
    private final Server server;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;

    /** Wires the modules of {@code config} and the server; starts nothing. */
    public VivaceApp(VivaceConfig config, PrometheusMeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        new ProcessorMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        registry.gauge("vivace_build_info", List.of(io.micrometer.core.instrument.Tag.of("version", BuildInfo.version())), 1);
        this.modules = ModuleRegistry.build(config, registry);
        this.server = buildServer();
    }

    private Server buildServer() {
        ServerConfig sc = config.server();
        ServerBuilder sb = Server.builder();
        sb.http(new InetSocketAddress(sc.httpListenAddress(), sc.httpListenPort()));
        sb.http(new InetSocketAddress(sc.grpcListenAddress(), sc.grpcListenPort()));
        sb.gracefulShutdownTimeout(Duration.ofMillis(200), sc.gracefulShutdownTimeout());
        sb.requestTimeout(config.queryFrontend().apiTimeout().plusSeconds(5));
        sb.decorator(EncodingService.newDecorator());
        sb.service("/ready", (ctx, req) -> ready());
        sb.service("/metrics", (ctx, req) -> HttpResponse.of(HttpStatus.OK,
                MediaType.parse("text/plain; version=0.0.4; charset=utf-8"), registry.scrape()));
        sb.service("/api/status/buildinfo", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON,
                buildInfoJson()));
        modules.frontend().bind(sb);
        new Receivers(modules.distributor(), config.distributor()).bind(sb, config.server().httpListenAddress());
        return sb.build();
    }

    static String buildInfoJson() {
        return "{\"version\":\"" + BuildInfo.TEMPO_COMPATIBLE_VERSION + "\",\"revision\":\"" + BuildInfo.revision()
                + "\",\"branch\":\"HEAD\",\"buildUser\":\"vivace\",\"buildDate\":\"" + BuildInfo.buildDate()
                + "\",\"goVersion\":\"java" + Runtime.version().feature() + "\",\"vivaceVersion\":\"" + BuildInfo.version() + "\"}";
    }

    private HttpResponse ready() {
        if (stopping) {
            return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "Application is stopping\n");
        }
        List<String> notRunning = new ArrayList<>();
        for (Service s : modules.services()) {
            if (s.state() != Service.State.RUNNING) {
                notRunning.add(s.name() + ": " + s.state());
            }
        }
        if (!notRunning.isEmpty()) {
            return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8,
                    "Some services are not Running: " + String.join(", ", notRunning) + "\n");
        }
        if (!modules.ingester().isReady()) {
            return HttpResponse.of(HttpStatus.SERVICE_UNAVAILABLE, MediaType.PLAIN_TEXT_UTF_8, "Ingester not ready: replaying WAL\n");
        }
        return HttpResponse.of(HttpStatus.OK, MediaType.PLAIN_TEXT_UTF_8, "ready\n");
    }

    /** Starts the server, then every service; fails (and stops what started) if any fails. */
    public void start() {
        long t0 = System.nanoTime();
        server.start().join();
        List<Service> started = new ArrayList<>();
        try {
            for (Service s : modules.services()) {
                s.start();
                started.add(s);
            }
        } catch (RuntimeException e) {
            Collections.reverse(started);
            started.forEach(s -> s.stop(Duration.ofSeconds(5)));
            server.stop().join();
            throw e;
        }
        log.info("event=started target={} http={}:{} version={} start_ms={}", config.target(),
                config.server().httpListenAddress(), server.activeLocalPort(), BuildInfo.version(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** The HTTP API port actually bound (useful when configured as 0). */
    public int httpPort() {
        return server.activeLocalPort();
    }

    /** Stops accepting, drains in-flight requests, then stops services in reverse (flushing the ingester). */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        log.info("event=stopping");
        try {
            server.stop().join();
        } finally {
            List<Service> reversed = new ArrayList<>(modules.services());
            Collections.reverse(reversed);
            for (Service s : reversed) {
                s.stop(config.server().gracefulShutdownTimeout());
            }
            try {
                modules.store().close();
            } catch (Exception e) {
                log.warn("event=store_close_failed error=\"{}\"", e.toString());
            }
            log.info("event=stopped");
            stopped.countDown();
        }
    }

    /** Blocks until {@link #close()} finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }
}

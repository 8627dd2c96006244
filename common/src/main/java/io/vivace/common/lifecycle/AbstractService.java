package io.vivace.common.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base for services: enforces the state machine and logs transitions; subclasses implement
 * {@link #doStart()} and {@link #doStop(Duration)}. A failing {@code doStart} rolls back through
 * {@code doStop} so that partial resources are released.
 */
public abstract class AbstractService implements Service {
    private static final Logger log = LoggerFactory.getLogger(AbstractService.class);

    private final String name;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile Throwable failure;
    /** Whether doStop has run or is running; set through {@link #claimStop()}. */
    private boolean stopped;

    protected AbstractService(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final State state() {
        return state.get();
    }

    @Override
    public final Throwable failure() {
        return failure;
    }

    @Override
    public final void start() {
        if (!state.compareAndSet(State.NEW, State.STARTING)) {
            throw new IllegalStateException(name + ": start() in state " + state.get() + " (expected: NEW)");
        }
        long t0 = System.nanoTime();
        try {
            doStart();
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failure = t;
            state.set(State.FAILED);
            rollBack(t);
            throw new ServiceFailedException(name, t);
        }
        // Background work may have called fail() while doStart ran: then the start failed too, and
        // RUNNING must not overwrite FAILED.
        if (!state.compareAndSet(State.STARTING, State.RUNNING)) {
            Throwable t = failure;
            rollBack(t);
            throw new ServiceFailedException(name, t);
        }
        log.debug("service={} state=RUNNING start_ms={}", name, (System.nanoTime() - t0) / 1_000_000);
    }

    private void rollBack(Throwable cause) {
        if (!claimStop()) {
            return;
        }
        try {
            doStop(Duration.ofSeconds(5));
        } catch (Throwable suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    @Override
    public final void stop(Duration timeout) {
        if (state.compareAndSet(State.NEW, State.TERMINATED)) {
            return;
        }
        if (state.get() == State.FAILED) {
            // A service that failed while running still holds its resources: release them once.
            if (!claimStop()) {
                return;
            }
            try {
                doStop(timeout);
            } catch (Throwable t) {
                failure.addSuppressed(t);
                log.error("service={} failed while stopping after a failure", name, t);
            }
            return;
        }
        if (!state.compareAndSet(State.RUNNING, State.STOPPING)) {
            return;
        }
        claimStop();
        try {
            doStop(timeout);
            // A background failure during the drain keeps the service FAILED.
            state.compareAndSet(State.STOPPING, State.TERMINATED);
        } catch (Throwable t) {
            fail(t);
            if (failure != t) {
                failure.addSuppressed(t); // a background failure came first; keep both
            }
        }
    }

    /** True for the one caller that gets to run {@code doStop}. */
    private synchronized boolean claimStop() {
        if (stopped) {
            return false;
        }
        stopped = true;
        return true;
    }

    /**
     * Marks a starting or running service as failed (for failures of background work). The first
     * failure wins; a service that already terminated or failed stays as it is.
     */
    protected final synchronized void fail(Throwable t) {
        while (true) {
            State s = state.get();
            if (s == State.TERMINATED || s == State.FAILED || s == State.NEW) {
                log.debug("service={} ignoring failure in state {}", name, s, t);
                return;
            }
            failure = t;
            if (state.compareAndSet(s, State.FAILED)) {
                log.error("service={} failed", name, t);
                return;
            }
        }
    }

    /** Acquires resources and starts work; throws to fail the start. */
    protected abstract void doStart() throws Exception;

    /** Drains and releases resources; must tolerate a partial start. */
    protected abstract void doStop(Duration timeout) throws Exception;
}

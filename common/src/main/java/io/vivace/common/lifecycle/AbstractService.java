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
            failure = t;
            state.set(State.FAILED);
            try {
                doStop(Duration.ofSeconds(5));
            } catch (Throwable suppressed) {
                t.addSuppressed(suppressed);
            }
            throw new ServiceFailedException(name, t);
        }
        state.set(State.RUNNING);
        log.debug("service={} state=RUNNING start_ms={}", name, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public final void stop(Duration timeout) {
        State s = state.get();
        if (s == State.NEW) {
            state.set(State.TERMINATED);
            return;
        }
        if (s != State.RUNNING || !state.compareAndSet(State.RUNNING, State.STOPPING)) {
            return;
        }
        try {
            doStop(timeout);
            state.set(State.TERMINATED);
        } catch (Throwable t) {
            failure = t;
            state.set(State.FAILED);
            log.error("service={} failed while stopping", name, t);
        }
    }

    /** Marks a running service as failed (for failures of background work). */
    protected final void fail(Throwable t) {
        failure = t;
        state.set(State.FAILED);
        log.error("service={} failed", name, t);
    }

    /** Acquires resources and starts work; throws to fail the start. */
    protected abstract void doStart() throws Exception;

    /** Drains and releases resources; must tolerate a partial start. */
    protected abstract void doStop(Duration timeout) throws Exception;
}

package io.vivace.common.lifecycle;

import java.time.Duration;

/**
 * Something that starts, runs and stops: a role, the WAL, a background flusher. States only move
 * forward: {@code NEW → STARTING → RUNNING → STOPPING → TERMINATED}, or to {@code FAILED} from any
 * of them when starting or running fails.
 */
public interface Service {
    /** Lifecycle states. */
    enum State { NEW, STARTING, RUNNING, STOPPING, TERMINATED, FAILED }

    /** A short name for logs and {@code /ready} messages. */
    String name();

    /** The current state. */
    State state();

    /** The failure that moved the service to {@code FAILED}, or {@code null}. */
    Throwable failure();

    /**
     * Starts the service and blocks until it runs.
     *
     * @throws ServiceFailedException when starting fails; the service is then {@code FAILED}
     */
    void start();

    /** Stops the service, waiting at most {@code timeout} for it to drain; idempotent. */
    void stop(Duration timeout);
}

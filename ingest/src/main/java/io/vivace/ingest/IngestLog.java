package io.vivace.ingest;

import java.util.concurrent.CompletableFuture;

/** Where distributors append batches. */
public interface IngestLog {
    /**
     * Appends {@code batch}. The future completes once the batch is durable (synced to the WAL, or
     * acknowledged by all Kafka replicas); it completes exceptionally with a
     * {@link io.vivace.common.errors.VivaceException} when the batch is refused.
     */
    CompletableFuture<Void> append(PushBatch batch);
}

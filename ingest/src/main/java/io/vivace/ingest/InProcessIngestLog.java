package io.vivace.ingest;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The single-binary log: hands each batch straight to the ingester in the same JVM, whose WAL makes
 * it durable before the future completes.
 */
public final class InProcessIngestLog implements IngestLog {
    private final IngestConsumer consumer;

    /** Creates a log delivering to {@code consumer}. */
    public InProcessIngestLog(IngestConsumer consumer) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    @Override
    public CompletableFuture<Void> append(PushBatch batch) {
        return consumer.push(batch);
    }
}

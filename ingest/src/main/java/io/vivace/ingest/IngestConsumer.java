package io.vivace.ingest;

import java.util.concurrent.CompletableFuture;

/** What consumes the log: the ingester. */
public interface IngestConsumer {
    /** Takes {@code batch}; the future completes once it is durable. */
    CompletableFuture<Void> push(PushBatch batch);
}

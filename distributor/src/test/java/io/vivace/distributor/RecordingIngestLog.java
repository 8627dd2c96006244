package io.vivace.distributor;

import io.vivace.ingest.IngestLog;
import io.vivace.ingest.PushBatch;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A test {@link IngestLog} that records every batch and answers as its behaviour says: at once,
 * with a failure, or with a future the test completes later.
 */
public final class RecordingIngestLog implements IngestLog {
    private final List<PushBatch> batches = new CopyOnWriteArrayList<>();
    private volatile Function<PushBatch, CompletableFuture<Void>> behaviour = b -> CompletableFuture.completedFuture(null);

    @Override
    public CompletableFuture<Void> append(PushBatch batch) {
        batches.add(batch);
        return behaviour.apply(batch);
    }

    /** Every batch appended so far. */
    public List<PushBatch> batches() {
        return batches;
    }

    /** Sets how the next appends answer. */
    public void answer(Function<PushBatch, CompletableFuture<Void>> behaviour) {
        this.behaviour = behaviour;
    }

    /** Appends succeed at once. */
    public void succeed() {
        answer(b -> CompletableFuture.completedFuture(null));
    }

    /** Appends fail with {@code error}. */
    public void fail(RuntimeException error) {
        answer(b -> CompletableFuture.failedFuture(error));
    }
}

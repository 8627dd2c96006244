package io.vivace.ingester;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.lifecycle.AbstractService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.rocksdb.CompressionType;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WALRecoveryMode;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingester's write-ahead log: an append-only sequence of pushed batches in a RocksDB database.
 *
 * <p>Keys are 8-byte big-endian sequence numbers, increasing by one per append, so RocksDB's key
 * order is append order. A value is a one-byte format version, the tenant (2-byte length + UTF-8)
 * and the batch's OTLP {@code TracesData} bytes as they were received.
 *
 * <p><b>Group commit.</b> {@link #append} never blocks: it queues the entry and returns a future. One
 * writer thread takes everything waiting (up to {@code maxBatch} entries or {@code maxBatchBytes}),
 * writes it as one RocksDB {@link WriteBatch} with {@code sync=true}, and hands the whole group to a
 * completion thread. While that thread completes the futures, the writer already builds the next
 * group from what arrived during the sync, so N concurrent writers share roughly one fsync per group.
 *
 * <p><b>Durability.</b> RocksDB appends every write batch to its own log file before applying it to
 * the memtable; with {@code sync=true} that log is fdatasync'ed before {@code write} returns, and a
 * future completes only after that. After {@code kill -9} (or a power loss) RocksDB's recovery
 * replays its log into the memtable, so every completed append is read back. A torn record at the
 * very tail can only belong to a batch whose futures never completed; point-in-time recovery stops
 * there and keeps the consistent prefix.
 *
 * <p>Lifecycle: {@link #start()} opens the database; {@link #replay} reads what a previous run left
 * (call it before the first append); {@link #release} deletes entries that are safe in blocks;
 * {@link #stop} writes what is queued, completes its futures and closes the database.
 */
public final class RocksDbWal extends AbstractService {
    private static final Logger log = LoggerFactory.getLogger(RocksDbWal.class);

    /** Format version of the values written by this class. */
    public static final byte FORMAT_V1 = 1;

    private static final long REPLAY_PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Released bytes (estimated) after which the deleted range is compacted away explicitly. */
    private static final long COMPACT_AFTER_RELEASED_BYTES = 256L * 1024 * 1024;

    private static final long EMPTY_COMPACTION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final int maxBatch;
    private final long maxBatchBytes;

    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Pending<Void> poison = new Pending<>(new byte[0], s -> null);
    private final AtomicBoolean accepting = new AtomicBoolean();
    private final Object releaseLock = new Object();

    private Options options;
    private WriteOptions syncWrites;
    private WriteOptions plainWrites;
    private RocksDB db;
    private Thread writer;
    private ExecutorService completer;
    private ExecutorService compactor;
    private final AtomicBoolean compacting = new AtomicBoolean();

    /** Next sequence to assign; written by the writer thread only once started. */
    private long nextSequence = 1;
    private volatile long lastWritten;
    private volatile long firstLive = 1;
    private long releasedSinceCompaction;
    private long lastCompactionNanos = System.nanoTime() - EMPTY_COMPACTION_INTERVAL_NANOS;

    private final Counter appends;
    private final Counter appendBytes;
    private final Counter syncs;
    private final Counter failures;
    private final Counter releasedEntries;
    private final DistributionSummary batchSize;
    private final Timer syncLatency;

    /**
     * Creates a WAL in {@code directory} (created on start if missing).
     *
     * @param directory the RocksDB directory, {@code storage.trace.wal.path}
     * @param maxBatch most appends written together in one group commit
     * @param maxBatchBytes most bytes written together in one group commit
     * @param registry where the WAL's metrics go
     */
    public RocksDbWal(Path directory, int maxBatch, long maxBatchBytes, MeterRegistry registry) {
        super("wal");
        this.directory = Objects.requireNonNull(directory, "directory");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: >= 1)");
        }
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatchBytes: " + maxBatchBytes + " (expected: >= 1)");
        }
        this.maxBatch = maxBatch;
        this.maxBatchBytes = maxBatchBytes;
        Objects.requireNonNull(registry, "registry");
        appends = Counter.builder("vivace.ingester.wal.appends").description("Entries appended to the WAL").register(registry);
        appendBytes = Counter.builder("vivace.ingester.wal.append.bytes").baseUnit("bytes")
                .description("Bytes appended to the WAL, headers included").register(registry);
        syncs = Counter.builder("vivace.ingester.wal.syncs").description("Synced WAL writes (group commits)").register(registry);
        failures = Counter.builder("vivace.ingester.wal.failures").description("Group commits that failed").register(registry);
        releasedEntries = Counter.builder("vivace.ingester.wal.released")
                .description("WAL entries deleted because the blocks holding them are complete").register(registry);
        batchSize = DistributionSummary.builder("vivace.ingester.wal.batch.size")
                .description("Appends written by one group commit").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue((double) maxBatch).register(registry);
        syncLatency = Timer.builder("vivace.ingester.wal.sync.duration")
                .description("Time to write and sync one group commit").publishPercentileHistogram().register(registry);
        Gauge.builder("vivace.ingester.wal.size", this, RocksDbWal::sizeOnDisk).baseUnit("bytes")
                .description("Bytes of the WAL directory on disk").register(registry);
        Gauge.builder("vivace.ingester.wal.queue", queue, LinkedBlockingQueue::size)
                .description("Appends waiting for the next group commit").register(registry);
    }

    /** Creates a WAL configured by the ingester's {@code wal_group_commit_*} keys. */
    public RocksDbWal(Path directory, IngesterConfig config, MeterRegistry registry) {
        this(directory, config.walGroupCommitMaxBatch(), config.walGroupCommitMaxBytes(), registry);
    }

    @Override
    protected void doStart() throws Exception {
        Files.createDirectories(directory);
        options = new Options()
                .setCreateIfMissing(true)
                // Entries live seconds to minutes and are read once, at replay: compressing them
                // costs CPU that ingest needs on a 2-core machine and saves little disk.
                .setCompressionType(CompressionType.NO_COMPRESSION)
                // Big enough that a memtable rarely flushes before its entries are released.
                .setWriteBufferSize(64L * 1024 * 1024)
                .setMaxWriteBufferNumber(3)
                .setMaxTotalWalSize(512L * 1024 * 1024)
                .setWalRecoveryMode(WALRecoveryMode.PointInTimeRecovery)
                .setMaxBackgroundJobs(2)
                .setKeepLogFileNum(2)
                .setMaxLogFileSize(8L * 1024 * 1024)
                .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
        syncWrites = new WriteOptions().setSync(true);
        plainWrites = new WriteOptions();
        try {
            db = RocksDB.open(options, directory.toString());
        } catch (RocksDBException e) {
            throw new IOException("cannot open the WAL at " + directory + ": " + e.getMessage()
                    + " (check that no other Vivace process uses storage.trace.wal.path and that the directory is writable)", e);
        }
        try (RocksIterator it = db.newIterator()) {
            it.seekToFirst();
            if (it.isValid()) {
                firstLive = decodeKey(it.key());
                it.seekToLast();
                lastWritten = decodeKey(it.key());
            } else {
                // Empty: numbering may restart, nothing older is live.
                firstLive = 1;
                lastWritten = 0;
            }
            it.status();
        }
        nextSequence = lastWritten + 1;
        completer = Executors.newSingleThreadExecutor(r -> daemon(r, "vivace-wal-complete"));
        compactor = Executors.newSingleThreadExecutor(r -> daemon(r, "vivace-wal-compact"));
        writer = daemon(this::writeLoop, "vivace-wal-writer");
        accepting.set(true);
        writer.start();
        log.info("wal opened path={} first_sequence={} last_sequence={} entries={}", directory, firstLive, lastWritten,
                lastWritten - firstLive + 1);
    }

    @Override
    protected void doStop(Duration timeout) throws Exception {
        accepting.set(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        if (writer != null) {
            queue.add(poison);
            writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (writer.isAlive()) {
                log.warn("wal writer still busy after {}; closing anyway", timeout);
                writer.interrupt();
                writer.join(1000);
            }
        }
        failQueued();
        shutdown(completer, deadline);
        shutdown(compactor, deadline);
        if (db != null) {
            db.close();
        }
        closeQuietly(syncWrites);
        closeQuietly(plainWrites);
        closeQuietly(options);
        log.info("wal closed path={}", directory);
    }

    /**
     * Appends {@code tracesData} for {@code tenant}; the future completes with the entry's sequence
     * number once the entry is synced to disk. Never blocks.
     */
    public CompletableFuture<Long> append(String tenant, byte[] tracesData) {
        return append(tenant, tracesData, seq -> seq);
    }

    /**
     * Appends {@code tracesData} for {@code tenant}. Once the entry is synced, {@code onDurable} runs
     * with its sequence number on the WAL's completion thread, strictly in sequence order across all
     * appends, and the future completes with its result (or fails with what it threw). Keep
     * {@code onDurable} short: it delays the completion of later appends.
     *
     * @throws NullPointerException when an argument is null
     */
    public <T> CompletableFuture<T> append(String tenant, byte[] tracesData, LongFunction<T> onDurable) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(tracesData, "tracesData");
        Objects.requireNonNull(onDurable, "onDurable");
        if (!accepting.get()) {
            return CompletableFuture.failedFuture(new VivaceException(ErrorCategory.UNAVAILABLE, "wal_closed",
                    "the WAL is not open (the ingester is starting or stopping); retry shortly", Duration.ofSeconds(1)));
        }
        Pending<T> p = new Pending<>(encodeValue(tenant, tracesData), onDurable);
        queue.add(p);
        // stop() may have flipped accepting between the check and the add: the writer has then
        // already exited, so fail the entry here rather than leave its future hanging.
        if (!accepting.get() && queue.remove(p)) {
            p.future.completeExceptionally(new VivaceException(ErrorCategory.UNAVAILABLE, "wal_closed",
                    "the WAL closed while appending; retry shortly", Duration.ofSeconds(1)));
        }
        return p.future;
    }

    /**
     * Reads every live entry, oldest first, handing each to {@code consumer}; logs progress every
     * few seconds. Call after {@link #start()} and before the first append.
     *
     * @return what was replayed
     * @throws IllegalStateException when an entry has an unknown format version
     */
    public ReplayStats replay(Consumer<WalEntry> consumer) throws RocksDBException {
        Objects.requireNonNull(consumer, "consumer");
        long first = firstLive;
        long last = lastWritten;
        long t0 = System.nanoTime();
        long nextLog = t0 + REPLAY_PROGRESS_NANOS;
        long entries = 0;
        long bytes = 0;
        try (ReadOptions ro = new ReadOptions().setFillCache(false).setReadaheadSize(4L * 1024 * 1024);
                RocksIterator it = db.newIterator(ro)) {
            for (it.seek(encodeKey(first)); it.isValid(); it.next()) {
                long seq = decodeKey(it.key());
                byte[] value = it.value();
                consumer.accept(decodeValue(seq, value));
                entries++;
                bytes += value.length;
                long now = System.nanoTime();
                if (now >= nextLog) {
                    double span = Math.max(1, last - first + 1);
                    log.info("wal replay progress entries={} bytes={} percent={}", entries, bytes,
                            String.format("%.1f", Math.min(100.0, 100.0 * (seq - first + 1) / span)));
                    nextLog = now + REPLAY_PROGRESS_NANOS;
                }
            }
            it.status();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        log.info("wal replay done entries={} bytes={} duration_ms={}", entries, bytes, millis);
        return new ReplayStats(entries, bytes, millis);
    }

    /**
     * Deletes every entry with a sequence number up to {@code uptoInclusive}. Call only once the
     * blocks holding those entries are complete. Now and then the deleted range is compacted away in
     * the background, so that disk space comes back even when no new writes trigger compactions.
     */
    public void release(long uptoInclusive) throws RocksDBException {
        synchronized (releaseLock) {
            long from = firstLive;
            if (uptoInclusive < from) {
                return;
            }
            long to = Math.min(uptoInclusive, lastWritten);
            if (to < from) {
                return;
            }
            db.deleteRange(plainWrites, encodeKey(from), encodeKey(to + 1));
            firstLive = to + 1;
            long released = to - from + 1;
            releasedEntries.increment(released);
            double perEntry = appends.count() == 0 ? 0 : appendBytes.count() / appends.count();
            releasedSinceCompaction += (long) (released * perEntry);
            // Compact after much was released, or when the WAL just became empty (a quiet system
            // gets its disk back), but not more often than every 30s for the latter: a lightly
            // loaded WAL empties at every flush.
            long now = System.nanoTime();
            boolean empty = firstLive > lastWritten;
            if (releasedSinceCompaction >= COMPACT_AFTER_RELEASED_BYTES
                    || (empty && releasedSinceCompaction > 0 && now - lastCompactionNanos >= EMPTY_COMPACTION_INTERVAL_NANOS)) {
                releasedSinceCompaction = 0;
                lastCompactionNanos = now;
                compactBelow(firstLive);
            }
        }
    }

    /** Smallest sequence number not yet released (may be past the last entry when the WAL is empty). */
    public long firstSequence() {
        return firstLive;
    }

    /** Sequence number of the last entry written, 0 when nothing has ever been written. */
    public long lastSequence() {
        return lastWritten;
    }

    /** Bytes of the WAL's files on disk (RocksDB's log, SST files, manifest). */
    public long sizeOnDisk() {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long total = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                try {
                    total += Files.size(f);
                } catch (IOException ignored) {
                    // RocksDB deletes obsolete files concurrently; a vanished file counts as zero.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the WAL directory " + directory, e);
        }
        return total;
    }

    private void compactBelow(long firstKept) {
        if (!compacting.compareAndSet(false, true)) {
            return;
        }
        byte[] end = encodeKey(firstKept);
        compactor.execute(() -> {
            try {
                db.compactRange(encodeKey(0), end);
            } catch (RocksDBException e) {
                log.warn("wal compaction of released entries failed; RocksDB will compact them later", e);
            } finally {
                compacting.set(false);
            }
        });
    }

    private void writeLoop() {
        List<Pending<?>> group = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            Pending<?> first;
            try {
                first = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == poison) {
                break;
            }
            group.add(first);
            long bytes = first.value.length;
            Pending<?> next;
            while (group.size() < maxBatch && (next = queue.peek()) != null
                    && (next == poison || bytes + next.value.length <= maxBatchBytes)) {
                queue.poll();
                if (next == poison) {
                    stopping = true;
                    break;
                }
                group.add(next);
                bytes += next.value.length;
            }
            writeGroup(group, bytes);
            group = new ArrayList<>();
        }
    }

    private void writeGroup(List<Pending<?>> group, long bytes) {
        long t0 = System.nanoTime();
        long seq = nextSequence;
        RocksDBException failure = null;
        try (WriteBatch batch = new WriteBatch()) {
            for (Pending<?> p : group) {
                p.sequence = seq++;
                batch.put(encodeKey(p.sequence), p.value);
            }
            db.write(syncWrites, batch);
        } catch (RocksDBException e) {
            failure = e;
        }
        // Sequence numbers are never reused, even after a failed write: keys only grow.
        nextSequence = seq;
        if (failure == null) {
            lastWritten = seq - 1;
            syncLatency.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            syncs.increment();
            appends.increment(group.size());
            appendBytes.increment(bytes);
            batchSize.record(group.size());
            completer.execute(() -> group.forEach(Pending::complete));
        } else {
            failures.increment();
            log.error("wal write of {} entries failed; their pushes are refused and may be retried", group.size(), failure);
            VivaceException error = new VivaceException(ErrorCategory.UNAVAILABLE, "wal_write_failed",
                    "the ingester could not write its WAL (" + failure.getMessage() + "); retry shortly", Duration.ofSeconds(1));
            completer.execute(() -> group.forEach(p -> p.future.completeExceptionally(error)));
        }
    }

    private void failQueued() {
        List<Pending<?>> left = new ArrayList<>();
        queue.drainTo(left);
        VivaceException error = new VivaceException(ErrorCategory.UNAVAILABLE, "wal_closed",
                "the WAL closed before this push was written; retry shortly", Duration.ofSeconds(1));
        for (Pending<?> p : left) {
            if (p != poison) {
                p.future.completeExceptionally(error);
            }
        }
    }

    static byte[] encodeKey(long sequence) {
        byte[] k = new byte[8];
        for (int i = 0; i < 8; i++) {
            k[i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return k;
    }

    static long decodeKey(byte[] key) {
        if (key.length != 8) {
            throw new IllegalStateException("WAL key of " + key.length + " bytes (expected: 8); the directory holds something else than a Vivace WAL");
        }
        long v = 0;
        for (byte b : key) {
            v = (v << 8) | (b & 0xFF);
        }
        return v;
    }

    static byte[] encodeValue(String tenant, byte[] tracesData) {
        byte[] t = tenant.getBytes(StandardCharsets.UTF_8);
        if (t.length > 0xFFFF) {
            throw new IllegalArgumentException("tenant: " + t.length + " bytes (expected: <= 65535)");
        }
        byte[] v = new byte[3 + t.length + tracesData.length];
        v[0] = FORMAT_V1;
        v[1] = (byte) (t.length >>> 8);
        v[2] = (byte) t.length;
        System.arraycopy(t, 0, v, 3, t.length);
        System.arraycopy(tracesData, 0, v, 3 + t.length, tracesData.length);
        return v;
    }

    static WalEntry decodeValue(long sequence, byte[] v) {
        if (v.length < 3 || v[0] != FORMAT_V1) {
            throw new IllegalStateException("WAL entry " + sequence + " has format version " + (v.length == 0 ? "none" : v[0])
                    + " (expected: " + FORMAT_V1 + "); start the Vivace version that wrote it to flush it, or move the WAL directory away");
        }
        int tl = ((v[1] & 0xFF) << 8) | (v[2] & 0xFF);
        if (3 + tl > v.length) {
            throw new IllegalStateException("WAL entry " + sequence + " is truncated (tenant length " + tl + ", value " + v.length + " bytes)");
        }
        String tenant = new String(v, 3, tl, StandardCharsets.UTF_8);
        byte[] data = new byte[v.length - 3 - tl];
        System.arraycopy(v, 3 + tl, data, 0, data.length);
        return new WalEntry(sequence, tenant, data);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void shutdown(ExecutorService executor, long deadlineNanos) throws InterruptedException {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        if (!executor.awaitTermination(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            executor.shutdownNow();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("closing {} failed", c, e);
            }
        }
    }

    /**
     * What a replay read.
     *
     * @param entries entries handed to the consumer
     * @param bytes bytes of their values
     * @param millis time the replay took
     */
    public record ReplayStats(long entries, long bytes, long millis) {}

    private static final class Pending<T> {
        final byte[] value;
        final LongFunction<T> onDurable;
        final CompletableFuture<T> future = new CompletableFuture<>();
        long sequence;

        Pending(byte[] value, LongFunction<T> onDurable) {
            this.value = value;
            this.onDurable = onDurable;
        }

        void complete() {
            try {
                future.complete(onDurable.apply(sequence));
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        }
    }
}

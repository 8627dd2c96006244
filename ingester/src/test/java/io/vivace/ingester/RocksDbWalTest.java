package io.vivace.ingester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.vivace.common.errors.ErrorCategory;
import io.vivace.common.errors.VivaceException;
import io.vivace.common.metrics.VivaceMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksDbWalTest {
    @TempDir
    Path dir;

    private final List<RocksDbWal> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(w -> w.stop(Duration.ofSeconds(5)));
    }

    private RocksDbWal open(MeterRegistry registry) {
        RocksDbWal wal = new RocksDbWal(dir.resolve("wal"), 1024, 32L * 1024 * 1024, registry);
        opened.add(wal);
        wal.start();
        return wal;
    }

    private static byte[] payload(int i) {
        return ("payload-" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void appendedEntriesReplayInOrderWithTheirTenants() throws Exception {
        RocksDbWal wal = open(VivaceMetrics.newRegistry());
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seqs.add(wal.append(i % 2 == 0 ? "a" : "tenant-b", payload(i)).get(5, TimeUnit.SECONDS));
        }
        assertThat(seqs).isSorted().doesNotHaveDuplicates();

        List<WalEntry> replayed = new ArrayList<>();
        RocksDbWal.ReplayStats stats = wal.replay(replayed::add);

        assertThat(stats.entries()).isEqualTo(10);
        assertThat(replayed).extracting(WalEntry::sequence).containsExactlyElementsOf(seqs);
        for (int i = 0; i < 10; i++) {
            assertThat(replayed.get(i).tenant()).isEqualTo(i % 2 == 0 ? "a" : "tenant-b");
            assertThat(replayed.get(i).tracesData()).isEqualTo(payload(i));
        }
    }

    @Test
    void concurrentAppendsShareSyncs() throws Exception {
        MeterRegistry registry = VivaceMetrics.newRegistry();
        RocksDbWal wal = open(registry);
        int threads = 64;
        int perThread = 20;
        byte[] body = new byte[16 * 1024];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        wal.append("t", body).get(30, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            w.start();
            workers.add(w);
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(errors).isEmpty();
        double appends = registry.get("vivace.ingester.wal.appends").counter().count();
        double syncs = registry.get("vivace.ingester.wal.syncs").counter().count();
        assertThat(appends).isEqualTo(threads * perThread);
        assertThat(syncs).isLessThan(appends);
        assertThat(registry.get("vivace.ingester.wal.batch.size").summary().max()).isGreaterThan(1);
        System.out.printf("wal group commit: %d writers x %d appends of %d B: %.1f appends/sync, %.0f appends/s%n",
                threads, perThread, body.length, appends / syncs, appends / seconds);
    }

    /** Prints appends per sync and appends/s at several concurrency levels; measures, asserts only completion. */
    @Test
    void groupCommitMeasurement() throws Exception {
        StringBuilder table = new StringBuilder("wal group commit (closed loop, 0.7 s per row)\n"
                + "writers  payload   appends/sync  appends/s  MB/s\n");
        int row = 0;
        for (int payload : new int[] {1024, 490 * 1024}) {
            for (int writers : new int[] {1, 8, 64}) {
                MeterRegistry registry = VivaceMetrics.newRegistry();
                RocksDbWal wal = new RocksDbWal(dir.resolve("measure-" + row++), 1024, 32L * 1024 * 1024, registry);
                opened.add(wal);
                wal.start();
                byte[] body = new byte[payload];
                long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
                List<Thread> workers = new ArrayList<>();
                List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
                long t0 = System.nanoTime();
                for (int t = 0; t < writers; t++) {
                    Thread w = new Thread(() -> {
                        try {
                            while (System.nanoTime() < end) {
                                wal.append("t", body).get(30, TimeUnit.SECONDS);
                            }
                        } catch (Throwable e) {
                            errors.add(e);
                        }
                    });
                    w.start();
                    workers.add(w);
                }
                for (Thread w : workers) {
                    w.join();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertThat(errors).isEmpty();
                double appends = registry.get("vivace.ingester.wal.appends").counter().count();
                double syncs = registry.get("vivace.ingester.wal.syncs").counter().count();
                table.append(String.format("%7d  %7d  %13.1f  %9.0f  %4.0f%n", writers, payload, appends / syncs, appends / seconds,
                        appends * payload / seconds / 1e6));
                wal.stop(Duration.ofSeconds(5));
            }
        }
        System.out.print(table);
    }

    @Test
    void onDurableRunsInSequenceOrder() throws Exception {
        RocksDbWal wal = open(VivaceMetrics.newRegistry());
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(wal.append("t", payload(i), seq -> {
                order.add(seq);
                return seq;
            }));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(order).hasSize(200).isSorted();
    }

    @Test
    void releaseDeletesEntriesUpToTheWatermark() throws Exception {
        RocksDbWal wal = open(VivaceMetrics.newRegistry());
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = wal.append("t", payload(i)).get(5, TimeUnit.SECONDS);
        }
        long first = wal.firstSequence();
        wal.release(first + 11);

        List<WalEntry> replayed = new ArrayList<>();
        wal.replay(replayed::add);
        assertThat(replayed).extracting(WalEntry::sequence).first().isEqualTo(first + 12);
        assertThat(replayed).hasSize(8);
        assertThat(wal.firstSequence()).isEqualTo(first + 12);

        wal.release(last);
        List<WalEntry> none = new ArrayList<>();
        wal.replay(none::add);
        assertThat(none).isEmpty();
    }

    @Test
    void reopenReplaysWhatWasNotReleasedAndKeepsNumbering() throws Exception {
        RocksDbWal wal = open(VivaceMetrics.newRegistry());
        long last = 0;
        for (int i = 0; i < 10; i++) {
            last = wal.append("t", payload(i)).get(5, TimeUnit.SECONDS);
        }
        wal.release(wal.firstSequence() + 3);
        wal.stop(Duration.ofSeconds(5));

        RocksDbWal reopened = open(VivaceMetrics.newRegistry());
        List<WalEntry> replayed = new ArrayList<>();
        reopened.replay(replayed::add);
        assertThat(replayed).hasSize(6);
        assertThat(replayed.get(0).tracesData()).isEqualTo(payload(4));
        assertThat(replayed.get(5).tracesData()).isEqualTo(payload(9));
        long next = reopened.append("t", payload(10)).get(5, TimeUnit.SECONDS);
        assertThat(next).isGreaterThan(last);
    }

    @Test
    void appendAfterStopFailsAsUnavailable() {
        RocksDbWal wal = open(VivaceMetrics.newRegistry());
        wal.stop(Duration.ofSeconds(5));
        assertThatThrownBy(() -> wal.append("t", payload(1)).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(VivaceException.class, e -> assertThat(e.category()).isEqualTo(ErrorCategory.UNAVAILABLE));
    }

    @Test
    void sizeOnDiskCountsTheDirectory() throws Exception {
        RocksDbWal wal = open(VivaceMetrics.newRegistry());
        wal.append("t", new byte[100_000]).get(5, TimeUnit.SECONDS);
        assertThat(wal.sizeOnDisk()).isGreaterThan(100_000);
    }

    @Test
    void valuesRoundTripAndUnknownVersionsAreRefused() {
        byte[] v = RocksDbWal.encodeValue("tenant-ü", payload(7));
        WalEntry e = RocksDbWal.decodeValue(42, v);
        assertThat(e.tenant()).isEqualTo("tenant-ü");
        assertThat(e.tracesData()).isEqualTo(payload(7));
        v[0] = 9;
        assertThatThrownBy(() -> RocksDbWal.decodeValue(42, v)).hasMessageContaining("format version 9");
        assertThat(RocksDbWal.decodeKey(RocksDbWal.encodeKey(0x0102030405060708L))).isEqualTo(0x0102030405060708L);
    }
}

package io.vivace.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.vivace.common.limits.OverridesConfig;
import io.vivace.compactor.Compactor;
import io.vivace.compactor.CompactorConfig;
import io.vivace.compactor.JobOwnership;
import io.vivace.storage.block.BlockMeta;
import io.vivace.storage.block.BlockStore;
import io.vivace.storage.block.BlockWriter;
import io.vivace.storage.block.BlockWriterConfig;
import io.vivace.storage.block.TraceEntry;
import io.vivace.storage.object.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Compaction throughput and bytes per span before and after, on local disk: {@code -blocks}
 * level-0 blocks written from the targets.md corpus ({@code -traces} traces × 20 spans), where every
 * trace is split into two pieces that land in two different blocks (as an ingester cuts traces that
 * straddle a block boundary) and 1 % of spans are sent twice; then one compaction cycle merges them.
 * Prints spans/s and MB/s of input, and bytes per span before and after.
 *
 * <pre>
 * java -cp bench/target/vivace-bench.jar io.vivace.bench.CompactionTool -traces=50000 -blocks=4
 * </pre>
 */
public final class CompactionTool {
    private CompactionTool() {}

    /** Runs the tool. */
    public static void main(String[] args) throws Exception {
        int traces = 50_000;
        int blockCount = 4;
        for (String a : args) {
            String[] kv = a.replaceFirst("^--?", "").split("=", 2);
            switch (kv[0]) {
                case "traces" -> traces = Integer.parseInt(kv[1]);
                case "blocks" -> blockCount = Integer.parseInt(kv[1]);
                default -> throw new IllegalArgumentException("unknown flag " + a + " (expected: -traces, -blocks)");
            }
        }
        Path dir = Files.createTempDirectory("vivace-compaction");
        try (LocalObjectStore store = new LocalObjectStore(dir)) {
            BlockStore blocks = new BlockStore(store);
            BlockWriterConfig writer = BlockWriterConfig.defaults();
            Random random = new Random(7);
            List<List<TraceEntry>> perBlock = new ArrayList<>();
            for (int b = 0; b < blockCount; b++) {
                perBlock.add(new ArrayList<>());
            }
            long spansIn = 0;
            for (TraceEntry t : SortedTraces.generate(random, traces, 20)) {
                int total = 0;
                for (ResourceSpans rs : t.resourceSpans()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        total += ss.getSpansCount();
                    }
                }
                int cut = 1 + random.nextInt(total - 1);
                int first = random.nextInt(blockCount);
                int second = (first + 1 + random.nextInt(blockCount - 1)) % blockCount;
                List<ResourceSpans> a = new ArrayList<>();
                List<ResourceSpans> b = new ArrayList<>();
                int i = 0;
                for (ResourceSpans rs : t.resourceSpans()) {
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        List<Span> left = new ArrayList<>();
                        List<Span> right = new ArrayList<>();
                        for (Span s : ss.getSpansList()) {
                            (i++ < cut ? left : right).add(s);
                            if (random.nextInt(100) == 0) {
                                right.add(s); // a span sent twice
                                spansIn++;
                            }
                        }
                        if (!left.isEmpty()) {
                            a.add(piece(rs, ss, left));
                        }
                        if (!right.isEmpty()) {
                            b.add(piece(rs, ss, right));
                        }
                    }
                }
                perBlock.get(first).add(new TraceEntry(t.id(), io.vivace.model.Traces.combine(a)));
                perBlock.get(second).add(new TraceEntry(t.id(), io.vivace.model.Traces.combine(b)));
                spansIn += total;
            }
            long bytesBefore = 0;
            long t0 = System.nanoTime();
            for (List<TraceEntry> entries : perBlock) {
                BlockMeta m = new BlockWriter(store, writer).write("bench", UUID.randomUUID(), 0, entries.iterator());
                bytesBefore += m.size();
            }
            System.out.printf("input: %d blocks, %d spans (%d traces, each split across two blocks), %.1f MB, %.1f bytes/span, written in %.1f s%n",
                    blockCount, spansIn, traces, bytesBefore / 1e6, (double) bytesBefore / spansIn, (System.nanoTime() - t0) / 1e9);
            CompactorConfig.Compaction d = CompactorConfig.Compaction.defaults();
            CompactorConfig config = new CompactorConfig(new CompactorConfig.Compaction(Duration.ofDays(3650), d.maxCompactionObjects(),
                    d.maxBlockBytes(), 2, blockCount, Duration.ZERO, d.compactedBlockRetention(), d.compactionCycle()));
            Compactor compactor = new Compactor(config, OverridesConfig.defaultConfig(), blocks, writer, JobOwnership.ALL,
                    Clock.systemUTC(), new SimpleMeterRegistry());
            long c0 = System.nanoTime();
            compactor.runCycle();
            double seconds = (System.nanoTime() - c0) / 1e9;
            List<BlockMeta> after = blocks.blocks("bench");
            long bytesAfter = after.stream().mapToLong(BlockMeta::size).sum();
            long spansAfter = after.stream().mapToLong(BlockMeta::totalSpans).sum();
            System.out.printf("compaction: %.1f s, %.0f spans/s, %.1f MB/s of input%n", seconds, spansIn / seconds, bytesBefore / 1e6 / seconds);
            System.out.printf("output: %d block(s), %d spans (%d duplicates dropped), %.1f MB, %.1f bytes/span (%.0f%% of the input bytes)%n",
                    after.size(), spansAfter, spansIn - spansAfter, bytesAfter / 1e6, (double) bytesAfter / spansAfter,
                    100.0 * bytesAfter / bytesBefore);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ResourceSpans piece(ResourceSpans rs, ScopeSpans ss, List<Span> spans) {
        return ResourceSpans.newBuilder().setResource(rs.getResource()).setSchemaUrl(rs.getSchemaUrl())
                .addScopeSpans(ScopeSpans.newBuilder().setScope(ss.getScope()).setSchemaUrl(ss.getSchemaUrl()).addAllSpans(spans)).build();
    }
}

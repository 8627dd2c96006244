package io.vivace.storage.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vivace.model.TraceId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BloomFilterTest {

    private static double measuredFalsePositiveRate(double configured, boolean zeroHighHalf) {
        Random random = new Random(1);
        int n = 20_000;
        BloomFilter bloom = BloomFilter.create(n, configured);
        Set<TraceId> added = new HashSet<>();
        while (added.size() < n) {
            TraceId id = new TraceId(zeroHighHalf ? 0 : random.nextLong(), random.nextLong());
            added.add(id);
            bloom.add(id);
        }
        for (TraceId id : added) {
            assertThat(bloom.mightContain(id)).as("no false negatives").isTrue();
        }
        int probes = 100_000;
        int falsePositives = 0;
        int tested = 0;
        while (tested < probes) {
            TraceId id = new TraceId(zeroHighHalf ? 0 : random.nextLong(), random.nextLong());
            if (added.contains(id)) {
                continue;
            }
            tested++;
            if (bloom.mightContain(id)) {
                falsePositives++;
            }
        }
        return (double) falsePositives / probes;
    }

    @Test
    void falsePositiveRateIsWithinTwiceTheConfiguredRate() {
        for (double p : new double[] {0.01, 0.001}) {
            double measured = measuredFalsePositiveRate(p, false);
            System.out.printf("bloom: configured %.4f, measured %.5f over 100k absent IDs%n", p, measured);
            assertThat(measured).as("configured %s", p).isLessThanOrEqualTo(2 * p).isGreaterThan(p / 4);
        }
    }

    @Test
    void sixtyFourBitIdsHashAsWellAsFullOnes() {
        assertThat(measuredFalsePositiveRate(0.01, true)).isLessThanOrEqualTo(0.02);
    }

    @Test
    void serializesAndReadsBack() throws IOException {
        BloomFilter bloom = BloomFilter.create(1000, 0.01);
        List<TraceId> ids = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 1000; i++) {
            TraceId id = new TraceId(random.nextLong(), random.nextLong());
            ids.add(id);
            bloom.add(id);
        }
        byte[] bytes = bloom.toBytes();
        assertThat(bytes).hasSize(bloom.sizeBytes());
        BloomFilter read = BloomFilter.fromBytes(bytes);
        assertThat(read.numBits()).isEqualTo(bloom.numBits());
        assertThat(read.numHashes()).isEqualTo(bloom.numHashes()).isEqualTo(7);
        assertThat(ids).allMatch(read::mightContain);
        assertThat(read.toBytes()).isEqualTo(bytes);
        // About 9.6 bits per item at 1%.
        assertThat(bloom.numBits()).isBetween(9_500L, 9_700L);
    }

    @Test
    void rejectsCorruptBytes() {
        byte[] bytes = BloomFilter.create(10, 0.01).toBytes();
        assertThatThrownBy(() -> BloomFilter.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 8))).isInstanceOf(IOException.class);
        bytes[0] = 'X';
        assertThatThrownBy(() -> BloomFilter.fromBytes(bytes)).isInstanceOf(IOException.class).hasMessageContaining("magic");
        assertThatThrownBy(() -> BloomFilter.create(10, 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("falsePositiveRate: 1.5 (expected: > 0 and < 1)");
    }

    @Test
    void shardsSpreadIdsEvenly() {
        int shards = 8;
        int[] counts = new int[shards];
        Random random = new Random(9);
        for (int i = 0; i < 80_000; i++) {
            counts[BloomFilter.shardOf(new TraceId(0, random.nextLong()), shards)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(9_500, 10_500);
        }
    }
}

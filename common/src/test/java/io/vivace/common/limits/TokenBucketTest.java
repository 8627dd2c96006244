package io.vivace.common.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T0 = 1_000 * SECOND;

    @Test
    void startsFullAndGrantsTheBurst() {
        TokenBucket bucket = new TokenBucket(100, 1_000, T0);

        assertThat(bucket.tryAcquire(600, T0)).isTrue();
        assertThat(bucket.tryAcquire(400, T0)).isTrue();
        assertThat(bucket.tryAcquire(1, T0)).isFalse();
    }

    @Test
    void refusalTakesNothing() {
        TokenBucket bucket = new TokenBucket(100, 1_000, T0);

        assertThat(bucket.tryAcquire(800, T0)).isTrue();
        assertThat(bucket.tryAcquire(300, T0)).isFalse();
        assertThat(bucket.tryAcquire(200, T0)).isTrue();
    }

    @Test
    void refillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(100, 1_000, T0);
        assertThat(bucket.tryAcquire(1_000, T0)).isTrue();

        assertThat(bucket.tryAcquire(50, T0 + SECOND / 4)).isFalse(); // 25 tokens
        assertThat(bucket.tryAcquire(50, T0 + SECOND / 2)).isTrue();  // 50 tokens
        assertThat(bucket.tryAcquire(1, T0 + SECOND / 2)).isFalse();
        assertThat(bucket.tryAcquire(100, T0 + 3 * SECOND / 2)).isTrue();
    }

    @Test
    void refillIsCappedAtTheBurst() {
        TokenBucket bucket = new TokenBucket(100, 1_000, T0);
        assertThat(bucket.tryAcquire(1_000, T0)).isTrue();

        long hourLater = T0 + 3_600 * SECOND;
        assertThat(bucket.tryAcquire(1_000, hourLater)).isTrue();
        assertThat(bucket.tryAcquire(1, hourLater)).isFalse();
    }

    @Test
    void requestLargerThanTheBurstIsNeverGranted() {
        TokenBucket bucket = new TokenBucket(1_000_000, 1_000, T0);

        assertThat(bucket.burst()).isEqualTo(1_000);
        assertThat(bucket.tryAcquire(1_001, T0)).isFalse();
        assertThat(bucket.tryAcquire(1_001, T0 + 3_600 * SECOND)).isFalse();
        // and refusing it did not drain the bucket
        assertThat(bucket.tryAcquire(1_000, T0 + 3_600 * SECOND)).isTrue();
    }

    @Test
    void timeGoingBackwardsDoesNotAddOrRemoveTokens() {
        TokenBucket bucket = new TokenBucket(100, 1_000, T0);
        assertThat(bucket.tryAcquire(1_000, T0 + SECOND)).isTrue();

        assertThat(bucket.tryAcquire(1, T0)).isFalse();
        // the clock going back did not move the refill origin back either
        assertThat(bucket.tryAcquire(100, T0 + 2 * SECOND)).isTrue();
        assertThat(bucket.tryAcquire(1, T0 + 2 * SECOND)).isFalse();
    }

    @Test
    void zeroTokenRequestIsAlwaysGranted() {
        TokenBucket bucket = new TokenBucket(1, 1, T0);
        assertThat(bucket.tryAcquire(1, T0)).isTrue();

        assertThat(bucket.tryAcquire(0, T0)).isTrue();
    }

    @Test
    void negativeRequestIsRejectedInsteadOfAddingTokens() {
        TokenBucket bucket = new TokenBucket(1, 10, T0);

        assertThatThrownBy(() -> bucket.tryAcquire(-100, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-100");
        assertThat(bucket.tryAcquire(10, T0)).isTrue();
        assertThat(bucket.tryAcquire(1, T0)).isFalse();
    }

    @Test
    void rejectsNonPositiveRateOrBurst() {
        assertThatThrownBy(() -> new TokenBucket(0, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: > 0");
        assertThatThrownBy(() -> new TokenBucket(10, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(-1, 10, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void largeByteRatesStayExact() {
        // Tempo's scale: 30 MB/s, 30 MB burst. Drain the bucket, then take exactly what each 10 ms
        // refills (300 kB), and not a byte more.
        TokenBucket bucket = new TokenBucket(30_000_000, 30_000_000, T0);
        assertThat(bucket.tryAcquire(30_000_000, T0)).isTrue();
        long now = T0;
        for (int i = 0; i < 1_000; i++) {
            now += SECOND / 100;
            assertThat(bucket.tryAcquire(300_000, now)).as("step %d", i).isTrue();
            assertThat(bucket.tryAcquire(1, now)).as("step %d", i).isFalse();
        }
    }

    @Test
    void fractionalRefillsAccumulate() {
        // 3 tokens per second: each 100 ms adds 0.3 of a token, the fractions must add up
        // (a double-based bucket grants 29 here: 0.3 is not exact in binary).
        TokenBucket bucket = new TokenBucket(3, 10, T0);
        assertThat(bucket.tryAcquire(10, T0)).isTrue();
        long now = T0;
        int granted = 0;
        for (int i = 0; i < 100; i++) { // 10 s in 100 ms steps: exactly 30 tokens
            now += SECOND / 10;
            if (bucket.tryAcquire(1, now)) {
                granted++;
            }
        }
        assertThat(granted).isEqualTo(30);
    }

    @Test
    void veryLongIdlePeriodFillsWithoutOverflow() {
        TokenBucket bucket = new TokenBucket(Long.MAX_VALUE / 2, Long.MAX_VALUE, T0);
        assertThat(bucket.tryAcquire(Long.MAX_VALUE, T0)).isTrue();

        long later = T0 + 100L * 365 * 24 * 3_600 * SECOND;
        assertThat(bucket.tryAcquire(Long.MAX_VALUE, later)).isTrue();
        assertThat(bucket.tryAcquire(1, later)).isFalse();
    }

    @Test
    void wallClockVariantWorks() {
        TokenBucket bucket = new TokenBucket(1, 5);

        assertThat(bucket.tryAcquire(5)).isTrue();
        assertThat(bucket.tryAcquire(5)).isFalse();
    }

    @Test
    void isSafeUnderConcurrentUse() throws InterruptedException {
        TokenBucket bucket = new TokenBucket(1, 10_000, T0);
        AtomicLong granted = new AtomicLong();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 5_000; i++) {
                    if (bucket.tryAcquire(1, T0)) {
                        granted.incrementAndGet();
                    }
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(granted.get()).isEqualTo(10_000);
    }
}

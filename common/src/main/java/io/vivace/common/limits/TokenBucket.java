package io.vivace.common.limits;

/**
 * A token bucket over bytes: refills at {@code rate} per second up to {@code burst}. Thread-safe;
 * cheap enough to call once per request. Counting is exact integer arithmetic (whole tokens plus the
 * fraction carried in token-nanoseconds), so a request never fails by a rounding error.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePerSecond;
    private final long burst;
    private long tokens;
    /** Fraction of a token not yet credited, in token-nanoseconds: {@code 0 <= credit < 1e9}. */
    private long credit;
    private long last;

    /** Creates a full bucket whose clock is {@link System#nanoTime()}. */
    public TokenBucket(long ratePerSecond, long burst) {
        this(ratePerSecond, burst, System.nanoTime());
    }

    /**
     * Creates a full bucket at time {@code nowNanos}; use with {@link #tryAcquire(long, long)} and the
     * same clock (for tests and callers that already read the time).
     */
    public TokenBucket(long ratePerSecond, long burst, long nowNanos) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate: " + ratePerSecond + ", burst: " + burst + " (expected: > 0)");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes {@code n} tokens if available and returns true; otherwise takes none and returns false. */
    public synchronized boolean tryAcquire(long n) {
        return tryAcquire(n, System.nanoTime());
    }

    /**
     * As {@link #tryAcquire(long)} at time {@code nowNanos} (for tests). A clock that goes backwards
     * adds no tokens.
     *
     * @throws IllegalArgumentException when {@code n} is negative
     */
    public synchronized boolean tryAcquire(long n, long nowNanos) {
        if (n < 0) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 0)");
        }
        refill(nowNanos);
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** The largest request this bucket can ever grant. */
    public long burst() {
        return burst;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed <= 0) {
            return;
        }
        last = now;
        if (tokens >= burst) {
            credit = 0;
            return;
        }
        // elapsed * rate can exceed 64 bits after a long idle period: then the bucket is simply full.
        long product = elapsed * ratePerSecond;
        if (Math.multiplyHigh(elapsed, ratePerSecond) != 0 || product < 0 || product > Long.MAX_VALUE - credit) {
            fill();
            return;
        }
        long total = product + credit;
        long added = total / NANOS_PER_SECOND;
        credit = total % NANOS_PER_SECOND;
        if (added >= burst - tokens) {
            fill();
        } else {
            tokens += added;
        }
    }

    private void fill() {
        tokens = burst;
        credit = 0;
    }
}

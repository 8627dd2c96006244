package io.vivace.common.limits;

/**
 * A token bucket over bytes: refills at {@code rate} per second up to {@code burst}. Thread-safe;
 * cheap enough to call once per request.
 */
public final class TokenBucket {
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long last;

    /** Creates a full bucket. */
    public TokenBucket(long ratePerSecond, long burst) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate: " + ratePerSecond + ", burst: " + burst + " (expected: > 0)");
        }
        this.ratePerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes {@code n} tokens if available and returns true; otherwise takes none and returns false. */
    public synchronized boolean tryAcquire(long n) {
        return tryAcquire(n, System.nanoTime());
    }

    /** As {@link #tryAcquire(long)} at time {@code nowNanos} (for tests). */
    public synchronized boolean tryAcquire(long n, long nowNanos) {
        refill(nowNanos);
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** The largest request this bucket can ever grant. */
    public long burst() {
        return (long) burst;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNano);
            last = now;
        }
    }
}

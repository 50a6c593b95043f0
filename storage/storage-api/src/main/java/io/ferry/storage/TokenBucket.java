package io.ferry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A token bucket: takers get tokens at a fixed rate, with at most one second's worth saved up.
 * Paces reads to a bandwidth ({@code ome.io/bandwidth-limit}, the audit's re-hash) or calls to a
 * rate (the audit's checks). Thread-safe.
 */
public final class TokenBucket {
    private final long perSecond;
    private double tokens;
    private long refilledAt;

    /** @param perSecond tokens per second, at least 1 */
    public TokenBucket(long perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("a rate must be at least 1 per second, not " + perSecond);
        }
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = System.nanoTime();
    }

    public long perSecond() {
        return perSecond;
    }

    /** Takes {@code n} tokens, sleeping until the bucket has them. */
    public void take(long n) throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
            refilledAt = now;
            tokens -= n;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / perSecond);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    /** {@code in}, one token per byte read. */
    public InputStream pace(InputStream in) {
        return new BulkFilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    paced(n);
                }
                return n;
            }

            private void paced(int n) throws InterruptedIOException {
                try {
                    take(n);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while pacing to " + perSecond + " bytes/s");
                }
            }
        };
    }
}

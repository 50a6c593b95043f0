package io.ferry.transfer;

import io.ferry.storage.BulkFilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * A token bucket shared by every task of one job in this instance ({@code ome.io/bandwidth-limit}):
 * reads take tokens at the limit's rate, with at most one second's worth saved up.
 */
final class BandwidthLimiter {
    private final long bytesPerSecond;
    private double tokens;
    private long refilledAt;

    BandwidthLimiter(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.refilledAt = System.nanoTime();
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Takes {@code n} tokens, sleeping until the bucket has them. */
    void take(long n) throws InterruptedException {
        long waitNanos;
        synchronized (this) {
            long now = System.nanoTime();
            tokens = Math.min(bytesPerSecond, tokens + (now - refilledAt) * bytesPerSecond / 1e9);
            refilledAt = now;
            tokens -= n;
            waitNanos = tokens >= 0 ? 0 : (long) (-tokens * 1e9 / bytesPerSecond);
        }
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }

    /** {@code in}, paced by this bucket. */
    InputStream pace(InputStream in) {
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
                    throw new InterruptedIOException("interrupted while pacing to " + bytesPerSecond + " bytes/s");
                }
            }
        };
    }
}

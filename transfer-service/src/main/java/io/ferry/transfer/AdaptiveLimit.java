package io.ferry.transfer;

/**
 * How many storage calls this instance lets run at once: additive increase, multiplicative
 * decrease. A throttling answer (503 SlowDown, 429) halves the limit; every {@code window}
 * successes in a row raise it by one, back up to the configured concurrency. Calls over the limit
 * wait, so a throttled store sees fewer requests until its errors stop.
 */
final class AdaptiveLimit {
    private final int max;
    private final int window;
    private int limit;
    private int inFlight;
    private int streak;

    AdaptiveLimit(int max, int window) {
        this.max = max;
        this.window = window;
        this.limit = max;
    }

    synchronized void acquire() throws InterruptedException {
        while (inFlight >= limit) {
            wait();
        }
        inFlight++;
    }

    synchronized void release(boolean throttled) {
        inFlight--;
        if (throttled) {
            limit = Math.max(1, limit / 2);
            streak = 0;
        } else if (limit < max && ++streak >= window) {
            limit++;
            streak = 0;
        }
        notifyAll();
    }

    synchronized int limit() {
        return limit;
    }

    /** Storage calls running now. */
    synchronized int inFlight() {
        return inFlight;
    }
}

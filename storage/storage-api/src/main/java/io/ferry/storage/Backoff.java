package io.ferry.storage;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The waits between attempts of one storage call: exponential with full jitter on top, capped, and
 * never shorter than the Retry-After of a throttling server (retrying sooner only earns another
 * refusal). One instance per call; not thread-safe.
 */
public final class Backoff {
    private final long maxMillis;
    private long delayMillis;

    public Backoff(Duration initial, Duration max) {
        this.delayMillis = Math.max(1, initial.toMillis());
        this.maxMillis = max.toMillis();
    }

    /** How long to wait after {@code failure} before the next attempt; the base delay then doubles, up to the cap. */
    public long nextMillis(IOException failure) {
        long wait = delayMillis + ThreadLocalRandom.current().nextLong(delayMillis + 1);
        if (failure instanceof ThrottledException throttled) {
            wait = Math.max(wait, throttled.retryAfter().toMillis());
        }
        delayMillis = Math.min(delayMillis * 2, maxMillis);
        return wait;
    }
}

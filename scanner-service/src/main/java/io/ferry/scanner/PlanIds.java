package io.ferry.scanner;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids of plans, and of the changes that end an object's plans: 32 hex digits, unique, not secret.
 * A random prefix drawn once per process and a counter: no two processes share the prefix (64
 * random bits), no two ids of one process share the counter; an id costs a tenth of a
 * {@code UUID.randomUUID()}, which draws from SecureRandom each time. One place for what four
 * copies of the same expression did.
 */
final class PlanIds {
    private static final SecureRandom SEED = new SecureRandom();
    private static final String PREFIX = hex(SEED.nextLong());
    private static final AtomicLong COUNTER = new AtomicLong(SEED.nextLong());

    private PlanIds() {
    }

    static String next() {
        return PREFIX + hex(COUNTER.getAndIncrement());
    }

    static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }
}

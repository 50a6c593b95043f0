package io.ferry.schemas;

import java.util.Collection;

/**
 * Checks a record makes in its constructor, so a record read from a topic with a required field
 * missing fails as a bad record when it is read (and is parked), not as a crash three calls later.
 */
public final class Require {
    private Require() {
    }

    /** @throws IllegalArgumentException naming {@code field} when {@code value} is null (or a blank string) */
    public static <T> T present(T value, String field) {
        if (value == null || value instanceof String s && s.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return value;
    }

    /** @throws IllegalArgumentException naming {@code field} when it is null or empty */
    public static <T extends Collection<?>> T notEmpty(T value, String field) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " must not be empty");
        }
        return value;
    }

    /** @throws IllegalArgumentException naming {@code field} when {@code value} is negative */
    public static long notNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must not be negative, not " + value);
        }
        return value;
    }
}

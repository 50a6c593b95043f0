package io.ferry.storage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * The server asked the client to slow down (S3 503 SlowDown, HTTP 429, OCI 503/429). Retryable, and a
 * hint to lower the number of requests in flight.
 */
public class ThrottledException extends StorageException {
    private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    private final Duration retryAfter;

    public ThrottledException(String message, Throwable cause) {
        this(message, cause, Duration.ZERO);
    }

    /** @param retryAfter how long the server asked the client to wait (its Retry-After), or zero */
    public ThrottledException(String message, Throwable cause, Duration retryAfter) {
        super(message, true, cause);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /**
     * Reads an HTTP Retry-After value: whole seconds or an HTTP date. Zero for none or one that
     * cannot be read, capped at ten minutes so a bad header cannot stall a worker for long.
     */
    public static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Duration.ZERO;
        }
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                wait = Duration.between(Instant.now(),
                        ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException unreadable) {
                return Duration.ZERO;
            }
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : wait;
    }

    /** The least wait before the next attempt the server asked for; zero when it named none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}

package io.ferry.storage;

/**
 * The server asked the client to slow down (S3 503 SlowDown, HTTP 429). Retryable, and a hint to
 * lower the number of requests in flight.
 */
public class ThrottledException extends StorageException {
    public ThrottledException(String message, Throwable cause) {
        super(message, true, cause);
    }
}

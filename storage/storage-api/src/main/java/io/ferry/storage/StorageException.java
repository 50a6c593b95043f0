package io.ferry.storage;

import java.io.IOException;

/**
 * A storage operation failed. {@link #retryable()} says whether the same call may succeed later
 * (throttling, a dropped connection) or will not (access denied, bad request).
 */
public class StorageException extends IOException {
    private final boolean retryable;

    public StorageException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public StorageException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    public boolean retryable() {
        return retryable;
    }
}

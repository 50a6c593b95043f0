package io.ferry.storage;

/**
 * The object no longer has the version a read was pinned to. The bytes already returned must be
 * discarded; the caller re-plans from a fresh stat. Not retryable as the same call.
 */
public class SourceChangedException extends StorageException {
    public SourceChangedException(String key, String expectedVersion, String actualVersion) {
        super("source changed: " + key + " was " + expectedVersion + ", now " + actualVersion, false);
    }
}

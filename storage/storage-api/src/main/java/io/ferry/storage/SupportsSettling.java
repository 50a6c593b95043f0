package io.ferry.storage;

/**
 * Stores that finish an object only after its bytes are confirmed: OCI writes to the Archive tier go
 * in as Standard and move to Archive once read back, because an archived object cannot be read at
 * all until it is restored, so a copy made straight into Archive could never be verified.
 */
public interface SupportsSettling {
    /**
     * Finishes the object at {@code version}, whose bytes were confirmed. Doing it again is harmless.
     *
     * @throws StorageException if the object moved on from {@code version} or the store refuses
     */
    void settle(String key, String version) throws StorageException;
}

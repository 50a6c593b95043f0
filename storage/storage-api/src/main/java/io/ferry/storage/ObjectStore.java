package io.ferry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A place objects live: a bucket prefix, a directory. Keys are relative to the store's root.
 * Optional powers are separate interfaces ({@link SupportsMultipartUpload}).
 *
 * <p>Errors are {@link StorageException}s; {@link StorageException#retryable()} tells a retry
 * from a give-up. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {

    /**
     * Lists every object under {@code prefix} ("" for all), fetching page by page as the stream is
     * consumed, so the first entries arrive before the listing ends. The stream must be closed.
     * Order is unspecified. Hidden in-progress uploads are never listed.
     *
     * @throws StorageException if the root cannot be listed at all (missing, access denied)
     */
    Stream<ObjectInfo> list(String prefix) throws StorageException;

    /** The object's current size and version, or empty when it does not exist. */
    Optional<ObjectInfo> stat(String key) throws StorageException;

    /**
     * Opens {@code length} bytes from {@code offset} of the object, pinned to {@code version}.
     * If the object is not at that version, at open or at any point until the stream reports its
     * end, the read fails with {@link SourceChangedException}: a caller that read to the end
     * without an exception read bytes of exactly that version.
     *
     * @throws ObjectNotFoundException when the object is gone
     */
    InputStream open(String key, String version, long offset, long length) throws StorageException;

    /**
     * Writes a whole object from {@code data} ({@code size} bytes), replacing any existing one.
     * Atomic: readers see the old object or the complete new one, never a part. If {@code data}
     * throws, nothing is written.
     *
     * @return the written object's info
     */
    ObjectInfo put(String key, InputStream data, long size) throws IOException;

    /** Deletes the object; deleting an absent object is not an error. */
    void delete(String key) throws StorageException;

    /** Checksums this store can report for stored objects without reading them back. */
    Set<ChecksumType> checksums();

    @Override
    default void close() {
    }
}

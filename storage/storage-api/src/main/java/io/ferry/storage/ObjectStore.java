package io.ferry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
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
     * If the object is not at that version at open the read fails with {@link SourceChangedException};
     * if it changes before the stream reports its end, the read either fails the same way or goes on
     * serving the pinned version (object stores keep a version readable while a GET is in flight). A
     * caller that read to the end without an exception read bytes of exactly that version.
     *
     * @throws ObjectNotFoundException when the object is gone
     */
    ObjectStream open(String key, String version, long offset, long length) throws StorageException;

    /**
     * Writes a whole object from {@code data} ({@code size} bytes), replacing any existing one.
     * Atomic: readers see the old object or the complete new one, never a part. If {@code data}
     * throws, nothing is written.
     *
     * @param attributes content type, user metadata and modification time to keep, as far as the
     *     store can
     * @return the written object, with any checksum the server confirmed
     */
    Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException;

    /** {@link #put(String, InputStream, long, ObjectAttributes)} with no attributes. */
    default ObjectInfo put(String key, InputStream data, long size) throws IOException {
        return put(key, data, size, ObjectAttributes.NONE).object();
    }

    /** Deletes the object; deleting an absent object is not an error. */
    void delete(String key) throws StorageException;


    @Override
    default void close() {
    }
}

package io.ferry.storage;

import io.ferry.checksum.Checksum;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Uploads written in parts, possibly by different processes, made visible at once on complete.
 * An upload never completed leaves no visible object.
 */
public interface SupportsMultipartUpload {

    /** Most parts one upload may have (S3 and OCI: 10,000). */
    int maxParts();

    /** Smallest size a part other than the last may have (S3: 5 MiB). */
    default long minPartSize() {
        return 1;
    }

    /**
     * Opens an upload for {@code key}, fixing now the attributes the object will have; the returned
     * id is valid in any process that opens the same store.
     */
    String startUpload(String key, ObjectAttributes attributes) throws StorageException;

    /** {@link #startUpload(String, ObjectAttributes)} with no attributes. */
    default String startUpload(String key) throws StorageException {
        return startUpload(key, ObjectAttributes.NONE);
    }

    /**
     * Writes part {@code partNumber} (0-based) holding bytes {@code offset..offset+length} of the
     * final object. Writing the same part again replaces it with the same bytes (idempotent).
     *
     * @throws ObjectNotFoundException if the upload was completed or aborted
     */
    void writePart(String key, String uploadId, int partNumber, long offset, InputStream data, long length)
            throws IOException;

    /**
     * Makes the object visible from its {@code partCount} parts totalling {@code size} bytes.
     * {@link Written#partChecksums()} holds one checksum per part when the server reported them all.
     *
     * @throws StorageException if parts are missing or the size does not match; the upload stays open
     */
    Written completeUpload(String key, String uploadId, int partCount, long size) throws StorageException;

    /**
     * {@link #completeUpload(String, String, int, long)}, telling the store the SHA-256 of each part
     * as it was sent. A store that kept its own SHA-256 of every part but does not list them may
     * confirm these instead: {@link Written#partChecksums()} then holds them.
     *
     * @param sent one checksum per part in part order, or empty when the caller does not know them
     */
    default Written completeUpload(String key, String uploadId, int partCount, long size, List<Checksum> sent)
            throws StorageException {
        return completeUpload(key, uploadId, partCount, size);
    }

    /** Discards an upload and its parts; aborting an unknown upload is not an error. */
    void abortUpload(String key, String uploadId) throws StorageException;
}

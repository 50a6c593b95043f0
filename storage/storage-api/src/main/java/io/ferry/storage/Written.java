package io.ferry.storage;

import io.ferry.checksum.Checksum;
import java.util.List;

/**
 * An object a store has just made visible, with what the server vouched for about it. Where it
 * vouched for nothing, only a read-back proves the copy.
 *
 * @param object the object as written, with the version to read it back at
 * @param partChecksums for a completed multipart upload, the SHA-256 the server computed of each part,
 *     in part order, when it reported them all or confirmed all those it was told; otherwise empty
 * @param storedAsSent for a whole put: the server showed, by a checksum it computed over what it
 *     stored (an echoed {@code x-amz-checksum-sha256}, an ETag equal to the MD5 of the bytes sent),
 *     that it stored exactly the bytes it was sent
 * @param readBack for a whole put: the SHA-256 of the object's bytes as the store read them back
 *     itself once they were durable, where it can do that as surely as a fresh read of the key
 *     (the file store: through the descriptor it wrote with, the file then renamed under the key
 *     and found there); null where the caller must read the object back
 */
public record Written(ObjectInfo object, List<Checksum> partChecksums, boolean storedAsSent, Checksum readBack) {
    public Written {
        partChecksums = List.copyOf(partChecksums);
    }

    public Written(ObjectInfo object, List<Checksum> partChecksums, boolean storedAsSent) {
        this(object, partChecksums, storedAsSent, null);
    }

    public static Written unconfirmed(ObjectInfo object) {
        return new Written(object, List.of(), false);
    }
}

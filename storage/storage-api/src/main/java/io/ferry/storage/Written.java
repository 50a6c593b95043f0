package io.ferry.storage;

import java.util.List;

/**
 * An object a store has just made visible.
 *
 * @param object the object as written, with the version to read it back at
 * @param confirmed SHA-256 checksums the server computed over the bytes it stored and returned:
 *     one for a whole put, one per part for a multipart upload, in part order; empty when the
 *     server confirms nothing, in which case only a read-back proves the copy
 */
public record Written(ObjectInfo object, List<Checksum> confirmed) {
    public Written {
        confirmed = List.copyOf(confirmed);
    }

    public static Written unconfirmed(ObjectInfo object) {
        return new Written(object, List.of());
    }
}

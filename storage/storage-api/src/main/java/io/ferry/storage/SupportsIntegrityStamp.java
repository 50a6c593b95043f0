package io.ferry.storage;

/**
 * Stores that keep a whole-object checksum beside an object, in its metadata, so a later check or a
 * copy made by another tool carries it. Ferry stamps objects written in parts: their ETag is no
 * MD5 of the bytes, so without the stamp nothing on the object says what it should hash to, unless
 * the store's own checksum of the object already does.
 */
public interface SupportsIntegrityStamp {
    /** User-metadata key of the stamp; the value is {@link TreeHashStamp#toString()}. */
    String METADATA_KEY = "ferry-sha256-tree";

    /**
     * Records {@code stamp} on the object at {@code version}, or leaves the object as it is when the
     * store's own checksum of it already is that tree hash. If the object already carries a stamp
     * with the same chunk size (copied along from its source), the two must agree.
     *
     * @return the object as it is afterwards (its version may change)
     * @throws StorageException if the object moved on from {@code version}, or if a carried stamp
     *     disagrees: the object is not the bytes its origin vouched for
     */
    ObjectInfo stamp(String key, String version, TreeHashStamp stamp) throws StorageException;
}

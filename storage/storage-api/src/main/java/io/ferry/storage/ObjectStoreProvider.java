package io.ferry.storage;

import java.util.Map;
import java.util.Set;

/** A storage backend, found with {@link java.util.ServiceLoader}. */
public interface ObjectStoreProvider {
    /** The URI schemes this backend serves, lower case. */
    Set<String> schemes();

    /** The endpoint parameters this backend acts on; a job's others are reported as not honoured. */
    Set<String> parameters();

    /**
     * Checks the URI and parameters as {@link #open} would, without connecting or reading anything,
     * so a job is refused when submitted rather than when first scanned.
     *
     * @throws IllegalArgumentException naming every unusable parameter
     */
    void validate(StorageUri uri, Map<String, Object> parameters);

    /**
     * Opens a store rooted at {@code uri}.
     *
     * @param parameters the job's parameters for this side (region, mount_path, ...)
     * @param settings process-wide storage settings ({@code ferry.storage.*} without the prefix)
     * @throws IllegalArgumentException naming the parameter when the URI or a parameter is unusable
     */
    ObjectStore open(StorageUri uri, Map<String, Object> parameters, Map<String, String> settings) throws StorageException;
}

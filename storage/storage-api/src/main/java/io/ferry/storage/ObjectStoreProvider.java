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
     * Parameters this backend takes from the job as a whole when a side does not set them (OCI's
     * {@code compartment_id}, from the OME field {@code spec.compartmentID}). None by default.
     */
    default Set<String> jobWideParameters() {
        return Set.of();
    }

    /**
     * Reads and checks the URI and parameters as opening needs them, without connecting or reading
     * anything, so a job is refused when submitted rather than when first scanned.
     *
     * @throws IllegalArgumentException naming every unusable parameter
     */
    StoreOptions options(StorageUri uri, Map<String, Object> parameters);

    /**
     * Opens a store from options this backend made with {@link #options}.
     *
     * @param settings process-wide storage settings ({@code ferry.storage.*} without the prefix)
     * @throws IllegalArgumentException when a setting the options need is missing or unusable
     */
    ObjectStore open(StoreOptions options, Map<String, String> settings) throws StorageException;

    /** Reads the options and opens the store in one step: for callers that hold a URI and parameters only. */
    default ObjectStore open(StorageUri uri, Map<String, Object> parameters, Map<String, String> settings)
            throws StorageException {
        return open(options(uri, parameters), settings);
    }
}

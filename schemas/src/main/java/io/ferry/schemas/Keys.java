package io.ferry.schemas;

/**
 * Record keys. A job is {@code namespace/name} (Kubernetes names never contain {@code |});
 * an object is {@code namespace/name|objectKey}, so every record of one object lands on one
 * partition and a prefix scan of {@code namespace/name|} finds all objects of a job.
 */
public final class Keys {
    public static final char SEPARATOR = '|';

    private Keys() {
    }

    public static String job(String namespace, String name) {
        return namespace + "/" + name;
    }

    public static String object(String jobKey, String objectKey) {
        return jobKey + SEPARATOR + objectKey;
    }

    /** The prefix shared by every object key of a job. */
    public static String objectPrefix(String jobKey) {
        return jobKey + SEPARATOR;
    }
}

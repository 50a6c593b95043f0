package io.ferry.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

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

    /**
     * The partition of {@code partitions} a record keyed {@code key} lands on: what Kafka's
     * producer chooses for a String key (murmur2 of its UTF-8 bytes), so a record that carries
     * several objects can be sent where each of them would have gone alone.
     */
    public static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}

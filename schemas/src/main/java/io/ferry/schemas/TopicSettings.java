package io.ferry.schemas;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How Ferry creates its topics ({@code ferry.topics.*}), with the production defaults in this one
 * place: replication 3 with {@code min.insync.replicas} 2 (a 3-broker cluster that survives one
 * broker down without losing an acknowledged record), seven days of history on the topics that
 * are not compacted, and records up to 8 MiB (the state of an object of 10,000 chunks).
 * Local mode and tests set replication 1 and min ISR 1 for their single broker.
 */
public record TopicSettings(int partitions, short replicationFactor, int minInSyncReplicas, Duration retention,
        int maxMessageBytes) {

    public static final int DEFAULT_PARTITIONS = 8;
    public static final short DEFAULT_REPLICATION_FACTOR = 3;
    public static final int DEFAULT_MIN_IN_SYNC_REPLICAS = 2;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 8 << 20;

    public TopicSettings {
        if (partitions < 1 || replicationFactor < 1 || minInSyncReplicas < 1 || maxMessageBytes < 1) {
            throw new IllegalArgumentException("ferry.topics.partitions, replication-factor, min-insync-replicas and"
                    + " max-message-bytes must be at least 1");
        }
        if (minInSyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("ferry.topics.min-insync-replicas (" + minInSyncReplicas
                    + ") must not exceed ferry.topics.replication-factor (" + replicationFactor + ")");
        }
    }

    /** The settings given, the defaults for the rest. */
    public static TopicSettings of(Optional<Integer> partitions, Optional<Short> replicationFactor,
            Optional<Integer> minInSyncReplicas, Optional<Duration> retention, Optional<Integer> maxMessageBytes) {
        return new TopicSettings(partitions.orElse(DEFAULT_PARTITIONS), replicationFactor.orElse(DEFAULT_REPLICATION_FACTOR),
                minInSyncReplicas.orElse(DEFAULT_MIN_IN_SYNC_REPLICAS), retention.orElse(DEFAULT_RETENTION),
                maxMessageBytes.orElse(DEFAULT_MAX_MESSAGE_BYTES));
    }

    /** Partitions of a topic: the configured count for the partitioned ones, one for the others. */
    public int partitionsOf(Topics.TopicSpec topic) {
        return topic.partitioned() ? partitions : 1;
    }

    /** The topic-level configs a topic is created with (and checked against when it exists). */
    public Map<String, String> configsOf(Topics.TopicSpec topic) {
        var configs = new LinkedHashMap<>(topic.configs());
        configs.put("min.insync.replicas", Integer.toString(minInSyncReplicas));
        configs.put("max.message.bytes", Integer.toString(maxMessageBytes));
        if (!topic.compacted()) {
            configs.put("retention.ms", Long.toString(retention.toMillis()));
        }
        return configs;
    }
}

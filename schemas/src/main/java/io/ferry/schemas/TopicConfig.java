package io.ferry.schemas;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code ferry.topics.*} keys, as every service's configuration mapping reads them; unset keys
 * take {@link TopicSettings}' production defaults.
 */
public interface TopicConfig {
    /** Partitions of the partitioned topics when Ferry creates them; bounds transfer parallelism. */
    Optional<Integer> partitions();

    /** Replication factor of the topics Ferry creates (production default 3). */
    Optional<Short> replicationFactor();

    /** {@code min.insync.replicas} of the topics Ferry creates (production default 2). */
    Optional<Integer> minInsyncReplicas();

    /** How long the topics that are not compacted keep records (default 7 days). */
    Optional<Duration> retention();

    /** {@code max.message.bytes} of the topics Ferry creates (default 8 MiB). */
    Optional<Integer> maxMessageBytes();

    /** The settings, defaults filled in. */
    default TopicSettings settings() {
        return TopicSettings.of(partitions(), replicationFactor(), minInsyncReplicas(), retention(), maxMessageBytes());
    }
}

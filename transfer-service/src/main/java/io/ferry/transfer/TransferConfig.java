package io.ferry.transfer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Transfer worker settings ({@code ferry.*}); see README's configuration reference. */
@ConfigMapping(prefix = "ferry")
public interface TransferConfig {

    Transfer transfer();

    TopicSettings topics();

    /** Process-wide storage settings, e.g. {@code ferry.storage.pvc-mount-root}. */
    Map<String, String> storage();

    interface Transfer {
        /** Tasks this instance runs at once; also the records taken per poll. Bounds memory: one buffer per task. */
        @WithDefault("4")
        int concurrency();

        /** Name in results and metrics; defaults to host name and process id. */
        Optional<String> workerId();

        /** Attempts of a storage call that failed with a retryable error before the chunk fails. */
        @WithDefault("3")
        int maxAttempts();

        /** First back-off between attempts; doubles each time, with jitter. */
        @WithDefault("500ms")
        Duration retryBackoff();

        /**
         * How long the group waits for a silent instance before its tasks go to the others: the
         * time a crashed instance's unconfirmed chunks stand still.
         */
        @WithDefault("45s")
        Duration sessionTimeout();

        /** Read/write buffer per running task. */
        @WithDefault("262144")
        int bufferSize();
    }

    /** {@code ferry.topics.*}; unset keys take {@link io.ferry.schemas.TopicSettings}' production defaults. */
    interface TopicSettings {
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

        default io.ferry.schemas.TopicSettings settings() {
            return io.ferry.schemas.TopicSettings.of(partitions(), replicationFactor(), minInsyncReplicas(), retention(),
                    maxMessageBytes());
        }
    }
}

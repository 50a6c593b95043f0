package io.ferry.transfer;

import io.ferry.schemas.ShutdownDeadline;
import io.ferry.schemas.TopicConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Transfer worker settings ({@code ferry.*}); see README's configuration reference. */
@ConfigMapping(prefix = "ferry")
public interface TransferConfig {

    Transfer transfer();

    TopicConfig topics();

    /** {@code ferry.shutdown.timeout}: how long a stop may take before the process halts. */
    ShutdownDeadline.Config shutdown();

    /** Process-wide storage settings, e.g. {@code ferry.storage.pvc-mount-root}. */
    Map<String, String> storage();

    /**
     * What each namespace's jobs may reach ({@code ferry.policy.<namespace>.<rule>}, as the
     * scanner's): a worker takes a job's endpoints only when the job is within it.
     */
    Map<String, String> policy();

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

}

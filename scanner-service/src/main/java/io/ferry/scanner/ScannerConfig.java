package io.ferry.scanner;

import io.ferry.schemas.ShutdownDeadline;
import io.ferry.schemas.TopicConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Scanner settings; every key is {@code ferry.*} and listed in README's configuration reference. */
@ConfigMapping(prefix = "ferry")
public interface ScannerConfig {

    TopicConfig topics();

    /** {@code ferry.shutdown.timeout}: how long a stop may take before the process halts. */
    ShutdownDeadline.Config shutdown();

    /**
     * Where Ferry keeps its state ({@code /var/lib/ferry} unless set): the scanner's is under
     * {@code state/scanner} unless {@code ferry.state-dir} says otherwise. Read by application.properties.
     */
    Optional<String> dataDir();

    /** Where Kafka Streams keeps the RocksDB copies of the verified state; read by application.properties. */
    Optional<String> stateDir();

    Scanner scanner();

    /** Process-wide storage settings, e.g. {@code ferry.storage.pvc-mount-root}. */
    Map<String, String> storage();

    /**
     * What each namespace's jobs may reach: {@code ferry.policy.<namespace>.<rule>} (see
     * {@link io.ferry.jobs.JobPolicy}); nothing outside the configured storage roots by default.
     */
    Map<String, String> policy();

    interface Scanner {
        /** Jobs scanned at the same time by this instance. */
        @WithDefault("4")
        int maxConcurrentScans();

        /** Most small objects in one batch task. */
        @WithDefault("256")
        int batchMaxObjects();

        /** Most bytes in one batch task. */
        @WithDefault("67108864")
        long batchMaxBytes();

        /** How often a waiting job checks whether its last scan has settled. */
        @WithDefault("250ms")
        Duration settlePoll();

        /**
         * How long a job's scan may stay unsettled with nothing moving (no object verified or
         * failed, no byte copied) before it is scanned again and what is stuck in flight (not
         * updated for this long) is planned again: a lost task, a parked result, a failed re-plan.
         */
        @WithDefault("15m")
        Duration inFlightTimeout();

        /**
         * A stable name for this instance (a StatefulSet pod's name), unique among scanners: its job
         * and trigger consumers then join as static members, and a restart under the same name
         * takes its jobs back at once instead of after the group's session timeout (45 s).
         */
        Optional<String> instanceId();

        /** The destination audit's pace, shared by every job this instance audits (one at a time). */
        Audit audit();
    }

    interface Audit {
        /** Destination objects checked (a stat each) per second, at most. */
        @WithDefault("100")
        long checksPerSecond();

        /** Bytes read back from the destination to re-hash per second, at most. */
        @WithDefault("33554432")
        long rehashBytesPerSecond();
    }
}

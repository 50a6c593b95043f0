package io.ferry.schemas;

import java.util.List;
import java.util.Map;

/**
 * Every Kafka topic Ferry uses, with the settings it must be created with. No other class
 * spells a topic name.
 */
public final class Topics {
    /** ReplicationJob documents, key {@code namespace/name}; compacted, a tombstone deletes the job. */
    public static final String JOBS = "ferry.jobs.v1";
    /** External triggers and Ferry's own re-plan requests for single objects. */
    public static final String TRIGGERS = "ferry.triggers.v1";
    /** ObjectChanged facts, key {@code job|objectKey}: the replayable history of what was planned. */
    public static final String OBJECT_CHANGES = "ferry.object-changes.v1";
    /** ScanStarted / ScanCompleted facts, key {@code namespace/name}. */
    public static final String SCANS = "ferry.scans.v1";
    /** ChunkTask commands for the transfer workers; partitions bound the parallelism. */
    public static final String CHUNK_TASKS = "ferry.chunk-tasks.v1";
    /** ChunkCopied / ChunkFailed / ObjectCommitted facts, key {@code job|objectKey}. */
    public static final String CHUNK_RESULTS = "ferry.chunk-results.v1";
    /** ObjectStatus, key {@code job|objectKey}; compacted changelog of the verifier's store. */
    public static final String OBJECT_STATUS = "ferry.object-status.v1";
    /** JobStatus (OME-style), key {@code namespace/name}; compacted. */
    public static final String JOB_STATUS = "ferry.job-status.v1";
    /** JobEvent (CloudEvents 1.0), key {@code namespace/name}: runs completed or failed, jobs in or out of sync. */
    public static final String JOB_EVENTS = "ferry.job-events.v1";
    /** Records no service could accept: original key and bytes, reason in headers. */
    public static final String DEAD_LETTERS = "ferry.dead-letters.v1";

    /** How a topic is created: partitions come from configuration, these are the fixed settings. */
    public record TopicSpec(String name, boolean compacted, boolean partitioned) {
        public Map<String, String> configs() {
            return compacted ? Map.of("cleanup.policy", "compact") : Map.of();
        }
    }

    /**
     * All topics. {@code partitioned} topics get the configured partition count; the others
     * get one partition because their volume is small. OBJECT_CHANGES and CHUNK_RESULTS must
     * have the same count: the verifier joins them per object (co-partitioning).
     */
    public static final List<TopicSpec> ALL = List.of(
            new TopicSpec(JOBS, true, true),
            new TopicSpec(TRIGGERS, false, true),
            new TopicSpec(OBJECT_CHANGES, false, true),
            new TopicSpec(SCANS, false, true),
            new TopicSpec(CHUNK_TASKS, false, true),
            new TopicSpec(CHUNK_RESULTS, false, true),
            new TopicSpec(OBJECT_STATUS, true, true),
            new TopicSpec(JOB_STATUS, true, true),
            new TopicSpec(JOB_EVENTS, false, true),
            new TopicSpec(DEAD_LETTERS, false, false));

    private Topics() {
    }
}

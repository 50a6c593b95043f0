package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * What happened to a job, for downstream producers and init containers, on
 * {@code ferry.job-events.v1} (key {@code namespace/name}), shaped as a CloudEvent 1.0 in JSON:
 * a once run completed or failed, a continuous job went in or out of sync. Each occurrence is
 * written once (the verifier writes it in the transaction that changes the status).
 *
 * @param id the same for the same occurrence: subject, type, job generation and the time of the change
 * @param subject the job, {@code namespace/name}
 */
public record JobEvent(String specversion, String type, String source, String id, String subject, Instant time,
        String datacontenttype, Data data) {
    public static final String SPEC_VERSION = "1.0";
    public static final String SOURCE = "ferry/verifier";
    public static final String COMPLETED = "io.ferry.job.completed";
    public static final String FAILED = "io.ferry.job.failed";
    public static final String IN_SYNC = "io.ferry.job.in-sync";
    public static final String OUT_OF_SYNC = "io.ferry.job.out-of-sync";
    /** One object of the job failed for good (its retries spent, or its copy did not match). */
    public static final String OBJECT_FAILED = "io.ferry.object.failed";

    public JobEvent {
        Require.present(type, "type");
        Require.present(subject, "subject");
        Require.present(id, "id");
        Require.present(data, "data");
    }

    /**
     * What the job's status said when it happened: the counts and bytes the verifier confirmed by
     * checksum, never more. An object's failure names the object, and the reason and message of
     * its status.
     *
     * @param verifiedDigest the job's fingerprint of what it verified (JobProgress#verifiedDigest)
     * @param objectKey the object that failed (OBJECT_FAILED only)
     * @param reason why it failed, one CamelCase word (OBJECT_FAILED only)
     */
    public record Data(String namespace, String name, long generation, String phase, String message, long objectsTotal,
            long objectsVerified, long objectsFailed, long bytesTotal, long bytesVerified, Instant lastScanCompletedAt,
            String verifiedDigest, String objectKey, String reason) {
    }

    public static JobEvent of(String type, String job, long generation, Instant time, Data data) {
        return new JobEvent(SPEC_VERSION, type, SOURCE, job + "/" + generation + "/" + type + "/" + time.toEpochMilli(), job, time,
                "application/json", data);
    }

    /** An object failed for good; the id names its plan, so each failure is one event. */
    public static JobEvent objectFailed(String job, String planId, Instant time, Data data) {
        return new JobEvent(SPEC_VERSION, OBJECT_FAILED, SOURCE, job + "/" + planId + "/" + OBJECT_FAILED, job, time,
                "application/json", data);
    }
}

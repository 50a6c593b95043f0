package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * A source object is new or changed and has been planned for copy. Key {@code job|objectKey}.
 * A job's withdrawal (change WITHDRAWN) is the one record that names no object: see {@link Change}.
 *
 * @param version the source version token the copy is pinned to (ETag, or size+mtime for files)
 * @param generation the scan that found the change
 * @param planId unique per plan; every task and result of this plan carries it, so results of an
 *     older plan of the same object are recognised and ignored
 * @param attempt 0 for the first plan; raised each time the source changed mid-copy and the object was re-planned
 * @param maxRetries how many re-plans the job allows before the object fails
 */
public record ObjectChanged(
        String job,
        String objectKey,
        String planId,
        Change change,
        long size,
        String version,
        Instant modified,
        long generation,
        int attempt,
        int maxRetries,
        Endpoints endpoints,
        CopyPlan plan) {
    public ObjectChanged {
        Require.present(job, "job");
        Require.present(planId, "planId");
        Require.present(change, "change");
        if (change == Change.WITHDRAWN) {
            objectKey = "";
        } else {
            Require.present(objectKey, "objectKey");
        }
        Require.present(plan, "plan");
        if (change == Change.UPSERT) {
            Require.present(endpoints, "endpoints");
            Require.present(version, "version");
        }
        Require.notNegative(size, "size");
        Require.notNegative(attempt, "attempt");
    }


    /**
     * UPSERT: copy this version. DELETE: the source object is gone. WITHDRAWN: the job was deleted;
     * written once to every partition of the topic, key {@code job|}, objectKey empty, after the
     * scanner stopped planning the job. On each partition the verifier abandons whatever of the
     * job's objects is still in flight (an open upload is aborted) and forgets every object it
     * holds (their statuses are deleted), so a job created again under the same name starts from
     * nothing. It covers what was planned but not yet reported, which no reader of the statuses
     * could have listed. REMOVED: the source object is gone and, the job's deletePolicy being
     * propagate, the scanner deleted its copy at the destination before writing this record; the
     * object leaves the job (the verifier deletes its progress and status).
     */
    public enum Change {
        UPSERT, DELETE, WITHDRAWN, REMOVED
    }
}

package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * A source object is new or changed and has been planned for copy. Key {@code job|objectKey}.
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
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(change, "change");
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
     * whatever of this object is still in flight is abandoned (an open upload is aborted) and the
     * verifier forgets the object (its status is deleted), so a job created again under the same
     * name starts from nothing.
     */
    public enum Change {
        UPSERT, DELETE, WITHDRAWN
    }
}

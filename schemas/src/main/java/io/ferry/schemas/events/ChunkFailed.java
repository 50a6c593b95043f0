package io.ferry.schemas.events;

import io.ferry.schemas.Require;

/** A chunk (or a commit, chunkIndex -1) could not be done. */
public record ChunkFailed(String job, String objectKey, String planId, String version, int chunkIndex, FailureReason reason,
        String message, String worker) implements ObjectResult {
    public ChunkFailed {
        Require.present(job, "job");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(reason, "reason");
    }


    /** Why; SOURCE_CHANGED leads to a re-plan from a fresh stat, the others fail the object. */
    public enum FailureReason {
        SOURCE_CHANGED, SOURCE_GONE, SOURCE_UNREADABLE, DESTINATION_UNWRITABLE, COMMIT_FAILED
    }
}

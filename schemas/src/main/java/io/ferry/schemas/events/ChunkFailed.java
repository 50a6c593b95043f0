package io.ferry.schemas.events;

/** A chunk (or a commit, chunkIndex -1) could not be done. */
public record ChunkFailed(String job, String objectKey, String planId, String version, int chunkIndex, FailureReason reason,
        String message, String worker) implements ChunkResult {

    /** Why; SOURCE_CHANGED leads to a re-plan from a fresh stat, the others fail the object. */
    public enum FailureReason {
        SOURCE_CHANGED, SOURCE_GONE, SOURCE_UNREADABLE, DESTINATION_UNWRITABLE, COMMIT_FAILED
    }
}

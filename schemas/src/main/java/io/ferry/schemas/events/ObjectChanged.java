package io.ferry.schemas.events;

import java.time.Instant;

/**
 * A source object is new or changed and has been planned for copy. Key {@code job|objectKey}.
 *
 * @param version the source version token the copy is pinned to (ETag, or size+mtime for files)
 * @param generation the scan that found the change
 * @param attempt 0 for the first plan; raised each time the source changed mid-copy and the object was re-planned
 */
public record ObjectChanged(
        String job,
        String objectKey,
        Change change,
        long size,
        String version,
        Instant modified,
        long generation,
        int attempt,
        CopyPlan plan) {

    public enum Change {
        UPSERT, DELETE
    }
}

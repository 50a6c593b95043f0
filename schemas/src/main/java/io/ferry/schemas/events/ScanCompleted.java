package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * A scan listed the whole source. Every ObjectChanged of this generation was committed to Kafka
 * before this record, so {@code objectsPlanned} is the number the verifier waits for (objects
 * newly found gone at the source are among them: each is a DELETE of this generation).
 *
 * @param objectsGone objects the verifier held that this scan found gone at the source and
 *     marked so (deletePolicy keep, or propagate over its limit)
 * @param objectsDeleted objects gone at the source whose copy this scan deleted at the
 *     destination (deletePolicy propagate)
 * @param deletesWithheld objects gone at the source that propagate would have deleted but did
 *     not, because they were more than {@code ome.io/max-delete} allows; 0 when none were held back
 * @param deleteLimit the most deletes this scan allowed ({@code ome.io/max-delete} applied to the job's objects)
 */
public record ScanCompleted(String job, long generation, long jobGeneration, Instant startedAt, Instant completedAt,
        long objectsListed, long bytesListed, long objectsPlanned, long bytesPlanned, long objectsGone,
        long objectsDeleted, long deletesWithheld, long deleteLimit) implements ScanEvent {
    public ScanCompleted {
        Require.present(job, "job");
        Require.notNegative(objectsPlanned, "objectsPlanned");
        Require.notNegative(objectsListed, "objectsListed");
        Require.notNegative(objectsGone, "objectsGone");
        Require.notNegative(objectsDeleted, "objectsDeleted");
        Require.notNegative(deletesWithheld, "deletesWithheld");
    }

    /** A scan that found nothing gone at the source. */
    public ScanCompleted(String job, long generation, long jobGeneration, Instant startedAt, Instant completedAt,
            long objectsListed, long bytesListed, long objectsPlanned, long bytesPlanned) {
        this(job, generation, jobGeneration, startedAt, completedAt, objectsListed, bytesListed, objectsPlanned, bytesPlanned,
                0, 0, 0, 0);
    }
}

package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * A scan listed the whole source. Every ObjectChanged of this generation was committed to Kafka
 * before this record, so {@code objectsPlanned} is the number the verifier waits for.
 */
public record ScanCompleted(String job, long generation, long jobGeneration, Instant startedAt, Instant completedAt,
        long objectsListed, long bytesListed, long objectsPlanned, long bytesPlanned) implements ScanEvent {
    public ScanCompleted {
        Require.present(job, "job");
        Require.notNegative(objectsPlanned, "objectsPlanned");
        Require.notNegative(objectsListed, "objectsListed");
    }
}

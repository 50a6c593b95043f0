package io.ferry.schemas.events;

import io.ferry.schemas.Require;

/**
 * Ferry's own trigger on {@code ferry.triggers.v1}: plan one object again from a fresh stat.
 * The verifier sends it when a source changed mid-copy.
 */
public record ObjectTrigger(String job, String objectKey, long generation, int attempt, String reason) {
    public ObjectTrigger {
        Require.present(job, "job");
        Require.present(objectKey, "objectKey");
        Require.notNegative(attempt, "attempt");
    }
}

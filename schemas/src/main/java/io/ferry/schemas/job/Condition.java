package io.ferry.schemas.job;

import java.time.Instant;

/** A status condition: reason is one CamelCase word; lastTransitionTime changes only when status does. */
public record Condition(ConditionType type, ConditionStatus status, String reason, String message,
        Instant lastTransitionTime) {
}

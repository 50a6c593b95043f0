package io.ferry.schemas.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ferry.schemas.Require;
import java.time.Instant;
import java.util.List;

/**
 * The OME-style status of a job, as the verifier computes it. {@code phase} is also written
 * as {@code status}, the name the OME document uses, so tools written against either work.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobStatus(
        String job,
        JobPhase phase,
        Instant startTime,
        Instant completionTime,
        Instant lastReconcileTime,
        int retryCount,
        String message,
        List<Condition> conditions,
        long observedGeneration,
        JobProgress progress) {

    public JobStatus {
        Require.present(job, "job");
        Require.present(phase, "phase");
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** OME's name for the phase. */
    @JsonProperty(value = "status", access = JsonProperty.Access.READ_ONLY)
    public JobPhase omeStatus() {
        return phase;
    }

    /** The condition of the given type, or null. */
    @JsonIgnore
    public Condition condition(ConditionType type) {
        return conditions.stream().filter(c -> c.type() == type).findFirst().orElse(null);
    }

    /** True when the condition is present with status True. */
    public boolean isTrue(ConditionType type) {
        Condition c = condition(type);
        return c != null && c.status() == ConditionStatus.TRUE;
    }
}

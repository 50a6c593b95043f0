package io.ferry.verifier;

import io.ferry.schemas.events.JobEvent;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The events between a job's previous status and its next: what changed that others wait for. */
final class JobEvents {
    private JobEvents() {
    }

    static List<JobEvent> between(JobStatus previous, JobStatus next, Instant now) {
        List<JobEvent> events = new ArrayList<>();
        if (next == null || next.job() == null) {
            return events;
        }
        boolean newGeneration = previous == null || previous.observedGeneration() != next.observedGeneration();
        if (next.phase() != (previous == null ? null : previous.phase()) || newGeneration) {
            if (next.phase() == JobPhase.Completed && next.isTrue(ConditionType.Verified)) {
                events.add(event(JobEvent.COMPLETED, next, now));
            } else if (next.phase() == JobPhase.Failed) {
                events.add(event(JobEvent.FAILED, next, now));
            }
        }
        boolean wasInSync = previous != null && !newGeneration && previous.isTrue(ConditionType.InSync);
        if (next.isTrue(ConditionType.InSync) && !wasInSync) {
            events.add(event(JobEvent.IN_SYNC, next, now));
        } else if (wasInSync && !next.isTrue(ConditionType.InSync)) {
            events.add(event(JobEvent.OUT_OF_SYNC, next, now));
        }
        return events;
    }

    private static JobEvent event(String type, JobStatus s, Instant now) {
        int slash = s.job().indexOf('/');
        JobProgress p = s.progress() == null ? JobProgress.NONE : s.progress();
        return JobEvent.of(type, s.job(), s.observedGeneration(), now, new JobEvent.Data(s.job().substring(0, Math.max(slash, 0)),
                s.job().substring(slash + 1), s.observedGeneration(), s.phase() == null ? null : s.phase().name(), s.message(),
                p.objectsTotal(), p.objectsVerified(), p.objectsFailed(), p.bytesTotal(), p.bytesVerified(), p.lastScanCompletedAt(),
                p.verifiedDigest(), null, null));
    }

    /** The event of an object's status that says it failed for good; null for any other status. */
    static JobEvent objectFailed(ObjectStatus s) {
        if (s == null || s.state() != ObjectState.FAILED || s.planId() == null) {
            return null;
        }
        int slash = s.job().indexOf('/');
        Instant at = s.updatedAt() == null ? Instant.EPOCH : s.updatedAt();
        return JobEvent.objectFailed(s.job(), s.planId(), at, new JobEvent.Data(s.job().substring(0, Math.max(slash, 0)),
                s.job().substring(slash + 1), s.generation(), null, s.message(), 0, 0, 1, s.size(), 0, null, null, s.objectKey(),
                s.failure() == null ? "Failed" : s.failure()));
    }
}

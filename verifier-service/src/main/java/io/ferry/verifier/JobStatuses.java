package io.ferry.verifier;

import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanFailed;
import io.ferry.schemas.job.Condition;
import io.ferry.schemas.job.ConditionStatus;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobMode;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.Sizes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Computes a job's OME-style status from what the verifier knows. Pure: the same view, previous
 * status and time give the same status. A scan is settled when every object it planned reached
 * a final state; a once job is Completed only then, and only with every object Verified.
 *
 * <p>In sync is a claim about a moment: the last completed scan. A continuous job whose next scan
 * is overdue (no scan under way, none completed within {@link #grace} after one was due) is not
 * reported in sync: InSync turns Unknown, with the time it was last known to be in sync.
 */
final class JobStatuses {
    /** At least this long past a due scan before it is called overdue: a busy scanner starts late. */
    static final Duration MIN_GRACE = Duration.ofMinutes(1);

    private JobStatuses() {
    }

    /** How late a due scan may be: two intervals, at least {@link #MIN_GRACE}. */
    static Duration grace(Duration scanInterval) {
        Duration twice = scanInterval.multipliedBy(2);
        return twice.compareTo(MIN_GRACE) > 0 ? twice : MIN_GRACE;
    }

    static JobStatus compute(JobView view, JobStatus previous, Instant now) {
        JobDefinition job = view.job();
        ScanLog scans = view.scans() == null ? ScanLog.empty() : view.scans();
        JobTally tally = view.tally() == null ? JobTally.empty() : view.tally();
        boolean continuous = job.mode() == JobMode.CONTINUOUS;
        ScanFailed scanFailure = scans.lastFailed();
        ScanCompleted completed = scans.lastCompleted();
        boolean latestCompleted = completed != null && completed.generation() == scans.generation();
        JobProgress before = previous == null || previous.progress() == null ? JobProgress.NONE : previous.progress();
        long previouslySettled = before.settledGeneration();
        // Settled once stays settled: an object of the scan re-planned since by a trigger, or deleted
        // (REMOVED), leaves the scan's final count, which says nothing about the scan.
        boolean settled = scanFailure != null
                || (latestCompleted && (previouslySettled >= completed.generation()
                        || tally.finalIn(completed.generation()) >= completed.objectsPlanned()));
        long settledGeneration = settled ? Math.max(scans.generation(), previouslySettled) : previouslySettled;
        Instant settledAt = settledGeneration != previouslySettled || before.settledAt() == null && settled ? now : before.settledAt();
        Instant lastCompletedAt = completed == null ? null : completed.completedAt();
        // The next scan is due an interval after the last one settled (the scanner waits for that);
        // overdue when none is under way well after that.
        Instant due = settledAt == null ? null : settledAt.plus(job.scanInterval());
        boolean overdue = continuous && scanFailure == null && !scans.scanning() && due != null
                && now.isAfter(due.plus(grace(job.scanInterval())));
        boolean allVerified = tally.failed() == 0 && tally.inFlight() == 0;
        long withheld = completed == null ? 0 : completed.deletesWithheld();

        JobPhase phase;
        String message;
        if (job.suspended()) {
            phase = JobPhase.Suspended;
            message = "Suspended: no scans run until spec.suspend is false";
        } else if (scans.generation() == 0) {
            phase = JobPhase.Pending;
            message = "Waiting for the first scan";
        } else if (scanFailure != null) {
            phase = continuous ? JobPhase.Running : JobPhase.Failed;
            message = scanFailure.message() + (continuous ? " (retrying every " + job.scanInterval().toSeconds() + "s)" : "");
        } else if (!settled || (!continuous && tally.inFlight() > 0)) {
            // In flight can outlive the latest scan's settling: objects of an earlier scan (a scanner
            // restarted mid-job) are still on their way.
            phase = JobPhase.Running;
            message = copied(tally);
        } else if (continuous && overdue) {
            phase = JobPhase.Running;
            message = overdueMessage(job, lastCompletedAt, due);
        } else if (continuous) {
            phase = JobPhase.Running;
            message = !allVerified ? failedMessage(tally, job)
                    : withheld > 0 ? withheldMessage(completed)
                    : "In sync: " + tally.verified() + " objects (" + Sizes.format(tally.bytesVerified()) + ") verified" + gone(tally);
        } else if (tally.failed() > 0) {
            phase = JobPhase.Failed;
            message = failedMessage(tally, job);
        } else {
            phase = JobPhase.Completed;
            Instant start = scans.firstStartedAt();
            Instant end = previous != null && previous.phase() == JobPhase.Completed && previous.completionTime() != null
                    ? previous.completionTime() : now;
            message = "Successfully replicated " + Sizes.format(tally.bytesVerified()) + " (" + tally.verified() + " objects)"
                    + (start == null ? "" : " in " + human(Duration.between(start, end))) + gone(tally);
        }

        var c = new ArrayList<Condition>();
        boolean started = scans.generation() > 0;
        c.add(cond(previous, ConditionType.Started, started ? ConditionStatus.TRUE : ConditionStatus.FALSE,
                started ? "JobStarted" : "NotStarted", started ? "Replication job has started" : "Waiting for the first scan", now));
        if (scanFailure != null && scanFailure.side() == ScanFailed.Side.SOURCE) {
            c.add(cond(previous, ConditionType.SourceAccessible, ConditionStatus.FALSE, "SourceUnreachable", scanFailure.message(), now));
        } else if (completed != null) {
            c.add(cond(previous, ConditionType.SourceAccessible, ConditionStatus.TRUE, "SourceReachable", "Source storage is accessible", now));
        }
        if (scanFailure != null && scanFailure.side() == ScanFailed.Side.DESTINATION) {
            c.add(cond(previous, ConditionType.DestinationReady, ConditionStatus.FALSE, "DestinationNotWritable", scanFailure.message(), now));
        } else if (completed != null || scanFailure != null) {
            c.add(cond(previous, ConditionType.DestinationReady, ConditionStatus.TRUE, "DestinationWritable",
                    "Destination storage is ready for writes", now));
        }
        boolean inProgress = started && (!settled || tally.inFlight() > 0) && scanFailure == null;
        c.add(cond(previous, ConditionType.InProgress, ConditionStatus.of(inProgress), inProgress ? "DataTransferring" : "Idle",
                inProgress ? copied(tally) : "No transfer in progress", now));
        boolean healthy = tally.failed() == 0 && scanFailure == null && !overdue && withheld == 0;
        c.add(cond(previous, ConditionType.HealthCheck, ConditionStatus.of(healthy),
                healthy ? "TransferHealthy" : overdue ? "ScansOverdue" : withheld > 0 && tally.failed() == 0 && scanFailure == null
                        ? "DeleteLimitExceeded" : "TransferErrors",
                healthy ? "Data transfer is proceeding without errors"
                        : scanFailure != null ? scanFailure.message()
                        : overdue ? overdueMessage(job, lastCompletedAt, due)
                        : tally.failed() > 0 ? tally.failed() + " objects failed" : withheldMessage(completed), now));
        if (!continuous) {
            boolean done = phase == JobPhase.Completed;
            c.add(cond(previous, ConditionType.Completed, ConditionStatus.of(done), done ? "TransferSuccessful" : "NotComplete",
                    done ? "All data transferred successfully" : "Not all data is transferred and verified yet", now));
        }
        if (tally.failed() > 0) {
            c.add(cond(previous, ConditionType.Verified, ConditionStatus.FALSE, "ObjectsFailed", failedMessage(tally, job), now));
        } else if (settled && scanFailure == null && allVerified && started) {
            c.add(cond(previous, ConditionType.Verified, ConditionStatus.TRUE, "ChecksumValidated",
                    "Data integrity verified: " + tally.verified() + " objects match by SHA-256", now));
        } else {
            c.add(cond(previous, ConditionType.Verified, ConditionStatus.UNKNOWN, "VerificationPending",
                    tally.inFlight() + " objects not verified yet", now));
        }
        if (continuous) {
            boolean inSync = settled && scanFailure == null && allVerified && started;
            if (inSync && overdue) {
                c.add(cond(previous, ConditionType.InSync, ConditionStatus.UNKNOWN, "ScansOverdue",
                        overdueMessage(job, lastCompletedAt, due), now));
            } else if (inSync && withheld > 0) {
                // the destination still has copies of objects the source no longer has
                c.add(cond(previous, ConditionType.InSync, ConditionStatus.FALSE, "DeleteLimitExceeded",
                        withheldMessage(completed), now));
            } else {
                c.add(cond(previous, ConditionType.InSync, ConditionStatus.of(inSync), inSync ? "SourceVerified" : "Syncing",
                        inSync ? "Destination matches the source as of the scan completed at " + lastCompletedAt
                                + audited(scans.lastAudit()) : copied(tally), now));
            }
        }
        AuditCompleted audit = scans.lastAudit();
        JobProgress progress = new JobProgress(tally.objects() - tally.gone(), tally.verified(), tally.failed(), tally.inFlight(),
                tally.bytesTotal(), tally.bytesVerified(), tally.bytesCopied(), scans.generation(), scans.scanning(), settledGeneration,
                lastCompletedAt, settledAt, audit == null ? null : audit.completedAt(), audit == null ? 0 : audit.objectsChecked(),
                audit == null ? 0 : audit.objectsRepaired(), tally.gone(), tally.verifiedDigest());
        return status(job, previous, now, phase, message, c, progress, scans, tally);
    }

    private static JobStatus status(JobDefinition job, JobStatus previous, Instant now, JobPhase phase, String message,
            List<Condition> conditions, JobProgress progress, ScanLog scans, JobTally tally) {
        boolean terminal = phase == JobPhase.Completed || phase == JobPhase.Failed;
        Instant completion = null;
        if (terminal) {
            completion = previous != null && previous.phase() == phase && previous.completionTime() != null
                    ? previous.completionTime() : now;
        }
        return new JobStatus(job.key(), phase, scans.firstStartedAt(), completion, now, (int) tally.retries(), message,
                conditions, scans.jobGeneration(), progress);
    }

    /** Keeps lastTransitionTime from the previous condition of the same type when its status did not change. */
    private static Condition cond(JobStatus previous, ConditionType type, ConditionStatus status, String reason, String message,
            Instant now) {
        Condition before = previous == null ? null : previous.condition(type);
        Instant since = before != null && before.status() == status ? before.lastTransitionTime() : now;
        return new Condition(type, status, reason, message, since);
    }

    private static String overdueMessage(JobDefinition job, Instant lastCompletedAt, Instant due) {
        return "No scan since the one completed at " + lastCompletedAt + "; the next was due at " + due + " (every "
                + job.scanInterval().toSeconds() + "s): in sync as of then, unknown since. Is the scanner running and healthy?";
    }

    /** Why a propagate job's copies of objects gone at the source are still there. */
    static String withheldMessage(ScanCompleted scan) {
        return scan.deletesWithheld() + " objects are gone at the source, more than ome.io/max-delete allows per scan ("
                + scan.deleteLimit() + "): nothing was deleted at the destination. Restore the source if that was a"
                + " mistake, or raise ome.io/max-delete to let the deletes through";
    }

    /** Objects gone at the source whose copy was kept, for the status message; empty when none. */
    private static String gone(JobTally t) {
        return t.gone() == 0 ? "" : "; " + t.gone() + " objects gone at the source kept at the destination";
    }

    /** What the last audit of the destination found, for the InSync message; empty before one. */
    private static String audited(AuditCompleted a) {
        if (a == null) {
            return "";
        }
        return "; destination audited at " + a.completedAt() + ": " + a.objectsChecked() + " objects checked, "
                + a.objectsRehashed() + " re-hashed, " + a.objectsMissing() + " missing and " + a.objectsDifferent()
                + " different copied again" + (a.objectsUnreadable() == 0 ? ""
                : ", " + a.objectsUnreadable() + " could not be read back to re-hash");
    }

    static String copied(JobTally t) {
        long pct = t.bytesTotal() == 0 ? 0 : t.bytesCopied() * 100 / t.bytesTotal();
        return "Copied " + Sizes.format(t.bytesCopied()) + " of " + Sizes.format(t.bytesTotal()) + " (" + pct + "% complete)";
    }

    private static String failedMessage(JobTally t, JobDefinition job) {
        return t.failed() + " of " + (t.objects() - t.gone()) + " objects failed; see GET /jobs/" + job.key()
                + "/objects?state=FAILED";
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh %dm", s / 3600, (s % 3600) / 60);
    }
}

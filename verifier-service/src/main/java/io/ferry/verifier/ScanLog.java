package io.ferry.verifier;

import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ScanCompleted;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.events.ScanFailed;
import io.ferry.schemas.events.ScanStarted;
import java.time.Instant;

/**
 * What the scanner reported of a job's scans (store {@code scan-log}).
 *
 * @param generation the newest scan started
 * @param firstStartedAt the first scan of the current job generation: the job's startTime
 * @param lastCompleted the newest completed scan, null before one completes
 * @param lastFailed set when the newest scan failed
 * @param lastAudit the newest audit of the destination for this job generation, null before one
 */
record ScanLog(long generation, long jobGeneration, Instant firstStartedAt, boolean scanning,
        ScanCompleted lastCompleted, ScanFailed lastFailed, AuditCompleted lastAudit) {

    static ScanLog empty() {
        return new ScanLog(0, 0, null, false, null, null, null);
    }

    ScanLog apply(ScanEvent e) {
        if (e instanceof AuditCompleted a) {
            // An audit runs beside the scans, under the number of the scan it followed.
            boolean newer = a.jobGeneration() == jobGeneration
                    && (lastAudit == null || a.completedAt().isAfter(lastAudit.completedAt()));
            return newer ? new ScanLog(generation, jobGeneration, firstStartedAt, scanning, lastCompleted, lastFailed, a) : this;
        }
        if (e.generation() < generation) {
            return this;
        }
        AuditCompleted audit = e.jobGeneration() != jobGeneration ? null : lastAudit;
        boolean newJobGeneration = e.jobGeneration() != jobGeneration;
        Instant first = newJobGeneration || firstStartedAt == null ? null : firstStartedAt;
        if (e instanceof ScanStarted s) {
            return new ScanLog(s.generation(), s.jobGeneration(), first == null ? s.startedAt() : first, true,
                    newJobGeneration ? null : lastCompleted, null, audit);
        }
        if (e instanceof ScanCompleted c) {
            return new ScanLog(c.generation(), c.jobGeneration(), first == null ? c.startedAt() : first, false, c, null, audit);
        }
        ScanFailed f = (ScanFailed) e;
        return new ScanLog(f.generation(), f.jobGeneration(), first == null ? f.failedAt() : first, false,
                newJobGeneration ? null : lastCompleted, f, audit);
    }
}

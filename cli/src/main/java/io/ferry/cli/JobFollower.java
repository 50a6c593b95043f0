package io.ferry.cli;

import io.ferry.jobs.JobDocuments;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import java.io.PrintStream;
import java.time.Duration;

/** Follows a job's status with a progress bar until it is done. */
public final class JobFollower {
    private JobFollower() {
    }

    /**
     * Shows progress until the job is done: Completed and Verified (or Failed) for a once job, in
     * sync for a continuous one.
     *
     * @throws java.util.concurrent.TimeoutException naming the last status when {@code timeout} passes first
     */
    public static JobStatus follow(FerryClient client, String key, boolean continuous, Duration timeout, PrintStream out)
            throws Exception {
        var bar = new ProgressBar(out, System.console() != null);
        try {
            return client.awaitStatus(key, s -> finished(s, continuous), timeout, bar::show);
        } finally {
            bar.done();
        }
    }

    /**
     * What {@code ferry wait} waits for, whatever the job's mode: Failed, a once run Completed and
     * Verified, or a continuous job in sync (only a continuous job's status has an InSync condition).
     */
    static boolean ready(JobStatus s) {
        return s.phase() == JobPhase.Failed || s.isTrue(ConditionType.InSync)
                || s.phase() == JobPhase.Completed && s.isTrue(ConditionType.Verified);
    }

    static boolean finished(JobStatus s, boolean continuous) {
        if (s.phase() == JobPhase.Failed) {
            return true;
        }
        if (continuous) {
            return s.isTrue(ConditionType.InSync);
        }
        return s.phase() == JobPhase.Completed && s.isTrue(ConditionType.Verified);
    }

    /** A job named as NAMESPACE/NAME, checked before it goes into a URL path. */
    static String checkKey(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length != 2 || !JobDocuments.isName(parts[0]) || !JobDocuments.isName(parts[1])) {
            throw new IllegalArgumentException("'" + key + "' is not NAMESPACE/NAME (lower-case letters, digits, '-' and '.')");
        }
        return key;
    }
}

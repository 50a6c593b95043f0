package io.ferry.cli;

import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.regex.Pattern;

/** Follows a job's status with a progress bar until it is done. */
public final class JobFollower {
    private static final Pattern JOB_KEY = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?/[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

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
        if (!JOB_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("'" + key + "' is not NAMESPACE/NAME (lower-case letters, digits, '-' and '.')");
        }
        return key;
    }
}

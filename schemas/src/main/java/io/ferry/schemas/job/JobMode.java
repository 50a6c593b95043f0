package io.ferry.schemas.job;

/** How a job runs: one pass; passes every scanInterval for as long as the job exists; or a pass at each time its cron schedule names. */
public enum JobMode {
    ONCE, CONTINUOUS, SCHEDULED
}

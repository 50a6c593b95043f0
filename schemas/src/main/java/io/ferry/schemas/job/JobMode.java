package io.ferry.schemas.job;

/** How a job runs: one pass, or passes every scanInterval for as long as the job exists. */
public enum JobMode {
    ONCE, CONTINUOUS
}

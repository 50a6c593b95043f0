package io.ferry.verifier;

import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.job.JobMode;
import java.time.Duration;

/**
 * What the verifier keeps of a job, read once from {@code ferry.jobs.v1} by the job kernel: all a
 * job's status is computed from besides its scans and objects. Stored as is, so reading the store
 * parses no job document.
 */
record JobDefinition(String key, long generation, JobMode mode, Duration scanInterval, boolean suspended) {
    static JobDefinition of(ValidatedJob job) {
        return new JobDefinition(job.key(), job.generation(), job.settings().mode(), job.settings().scanInterval(),
                job.settings().suspended());
    }
}

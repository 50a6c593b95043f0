package io.ferry.verifier;

import io.ferry.schemas.job.ReplicationJob;

/** A job joined with its scans and object tally: everything its status is computed from. */
record JobView(ReplicationJob job, ScanLog scans, JobTally tally) {
}

package io.ferry.verifier;

/** A job joined with its scans and object tally: everything its status is computed from. */
record JobView(JobDefinition job, ScanLog scans, JobTally tally) {
}

package io.ferry.schemas.job;

/** Condition types of the OME status document, plus InSync for continuous jobs. */
public enum ConditionType {
    Started, SourceAccessible, DestinationReady, InProgress, HealthCheck, Completed, Verified, InSync
}

package io.ferry.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A scan of a job's source, or an audit of its destination, on {@code ferry.scans.v1}, key {@code namespace/name}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ScanStarted.class, name = "ScanStarted"),
    @JsonSubTypes.Type(value = ScanCompleted.class, name = "ScanCompleted"),
    @JsonSubTypes.Type(value = ScanFailed.class, name = "ScanFailed"),
    @JsonSubTypes.Type(value = AuditCompleted.class, name = "AuditCompleted")
})
public sealed interface ScanEvent permits ScanStarted, ScanCompleted, ScanFailed, AuditCompleted {
    String job();

    /** A scan's number: increasing per job (its start time in ms); objects planned by a scan carry it. */
    long generation();

    /** The job spec generation the scan ran against. */
    long jobGeneration();
}

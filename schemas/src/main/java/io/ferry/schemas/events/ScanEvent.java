package io.ferry.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A scan of a job's source, on {@code ferry.scans.v1}, key {@code namespace/name}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ScanStarted.class, name = "ScanStarted"),
    @JsonSubTypes.Type(value = ScanCompleted.class, name = "ScanCompleted"),
    @JsonSubTypes.Type(value = ScanFailed.class, name = "ScanFailed")
})
public sealed interface ScanEvent permits ScanStarted, ScanCompleted, ScanFailed {
    String job();

    /** Scans of a job are numbered 1, 2, ...; objects planned by a scan carry its number. */
    long generation();

    /** The job spec generation the scan ran against. */
    long jobGeneration();
}

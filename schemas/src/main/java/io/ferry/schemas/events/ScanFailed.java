package io.ferry.schemas.events;

import java.time.Instant;

/** A scan could not list the source or prepare the destination. */
public record ScanFailed(String job, long generation, long jobGeneration, Instant failedAt, Side side, String message)
        implements ScanEvent {

    /** Which side was at fault: maps to SourceAccessible or DestinationReady. */
    public enum Side {
        SOURCE, DESTINATION
    }
}

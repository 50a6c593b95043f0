package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/** A scan could not list the source or prepare the destination. */
public record ScanFailed(String job, long generation, long jobGeneration, Instant failedAt, Side side, String message)
        implements ScanEvent {
    public ScanFailed {
        Require.present(job, "job");
        Require.present(side, "side");
    }


    /** Which side was at fault: maps to SourceAccessible or DestinationReady. */
    public enum Side {
        SOURCE, DESTINATION
    }
}

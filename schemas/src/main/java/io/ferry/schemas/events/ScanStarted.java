package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.time.Instant;

/** A scan began listing the source. */
public record ScanStarted(String job, long generation, long jobGeneration, Instant startedAt) implements ScanEvent {
    public ScanStarted {
        Require.present(job, "job");
    }
}

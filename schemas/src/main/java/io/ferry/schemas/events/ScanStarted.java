package io.ferry.schemas.events;

import java.time.Instant;

/** A scan began listing the source. */
public record ScanStarted(String job, long generation, long jobGeneration, Instant startedAt) implements ScanEvent {
}

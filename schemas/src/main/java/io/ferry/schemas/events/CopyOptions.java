package io.ferry.schemas.events;

/**
 * How a transfer worker copies for a job, read from the job once by the scanner.
 *
 * @param verifyAfterCopy re-read every copy, even where the server confirmed the checksum it stored
 * @param preserveTimestamps give the destination the source's modification time
 * @param bandwidthLimit bytes per second one transfer instance may read for this job; 0 for no limit
 */
public record CopyOptions(boolean verifyAfterCopy, boolean preserveTimestamps, long bandwidthLimit) {
    public static final CopyOptions DEFAULTS = new CopyOptions(true, false, 0);
}

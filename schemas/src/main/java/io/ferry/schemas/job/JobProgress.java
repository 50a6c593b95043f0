package io.ferry.schemas.job;

import java.time.Instant;

/**
 * Ferry's counters behind the status message. Objects are those the verifier tracks for the
 * job and the source still has; {@code objectsGone} those it no longer has whose copy was kept
 * ({@code deletePolicy: keep}, or deletes withheld by {@code ome.io/max-delete}).
 *
 * @param scanGeneration the newest scan the verifier has heard of
 * @param scanning whether that scan is still listing
 * @param settledGeneration the newest scan whose every planned object reached a final state
 * @param lastScanCompletedAt when the newest completed scan finished listing; null before one has
 * @param settledAt when {@code settledGeneration} settled; null before a scan has
 * @param lastAuditCompletedAt when the last destination audit finished; null before one has
 * @param objectsAudited objects whose destination copy the last audit checked
 * @param objectsRepaired objects the last audit found missing or different and planned again
 * @param objectsGone objects gone at the source whose copy is still at the destination
 * @param verifiedDigest one order-free fingerprint of every Verified object's key and tree hash
 *     ({@code sha256-sum:} and 64 hex digits; README, Completion events), null before one is verified
 */
public record JobProgress(
        long objectsTotal,
        long objectsVerified,
        long objectsFailed,
        long objectsInFlight,
        long bytesTotal,
        long bytesVerified,
        long bytesCopied,
        long scanGeneration,
        boolean scanning,
        long settledGeneration,
        Instant lastScanCompletedAt,
        Instant settledAt,
        Instant lastAuditCompletedAt,
        long objectsAudited,
        long objectsRepaired,
        long objectsGone,
        String verifiedDigest) {

    public static final JobProgress NONE = new JobProgress(0, 0, 0, 0, 0, 0, 0, 0, false, 0, null, null, null, 0, 0, 0, null);
}

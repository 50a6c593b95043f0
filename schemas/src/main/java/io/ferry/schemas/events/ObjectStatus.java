package io.ferry.schemas.events;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.Require;
import java.time.Instant;

/**
 * The verifier's view of one object, key {@code job|objectKey}, compacted. {@code treeHash} is
 * SHA-256 over the chunk SHA-256s, set once VERIFIED; {@code chunkSize} is where its chunks end (the
 * whole size for a single put). {@code destination} is the
 * {@link io.ferry.schemas.job.StorageEndpoint#identity() identity} of the place the object was
 * copied to: a status says nothing about any other destination.
 */
public record ObjectStatus(
        String job,
        String objectKey,
        String planId,
        ObjectState state,
        String version,
        long size,
        long generation,
        int attempt,
        int chunksTotal,
        long chunkSize,
        int chunksCopied,
        long bytesCopied,
        Checksum treeHash,
        String failure,
        String message,
        Instant updatedAt,
        String destination) {
    public ObjectStatus {
        Require.present(job, "job");
        Require.present(objectKey, "objectKey");
        Require.present(state, "state");
    }
}

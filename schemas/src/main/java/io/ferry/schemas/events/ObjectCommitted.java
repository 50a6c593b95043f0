package io.ferry.schemas.events;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.Require;
import java.util.List;

/**
 * The object is visible at the destination; {@code destinationChunks} are the checksums read
 * back from it at the planned chunk boundaries, for the verifier to compare.
 */
public record ObjectCommitted(String job, String objectKey, String planId, String version, List<Checksum> destinationChunks,
        String worker) implements ChunkResult {
    public ObjectCommitted {
        Require.present(job, "job");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(destinationChunks, "destinationChunks");
    }
}

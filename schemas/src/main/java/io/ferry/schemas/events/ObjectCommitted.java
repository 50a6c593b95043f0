package io.ferry.schemas.events;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.Require;
import java.util.List;

/**
 * The object is visible at the destination; {@code destinationChunks} are the checksums read
 * back from it at the planned chunk boundaries, for the verifier to compare. {@code sent} is the
 * SHA-256 of the bytes the worker sent when it wrote the object whole in the same task (a single
 * put): one record then stands for what was copied and what was read back, instead of a
 * ChunkCopied and an ObjectCommitted. It is null after a multipart upload, whose parts were each
 * reported by a ChunkCopied.
 */
public record ObjectCommitted(String job, String objectKey, String planId, String version, List<Checksum> destinationChunks,
        String worker, Checksum sent) implements ObjectResult {
    public ObjectCommitted {
        Require.present(job, "job");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(destinationChunks, "destinationChunks");
    }

    /** The commit of a multipart upload, whose parts were reported one by one. */
    public ObjectCommitted(String job, String objectKey, String planId, String version, List<Checksum> destinationChunks,
            String worker) {
        this(job, objectKey, planId, version, destinationChunks, worker, null);
    }
}

package io.ferry.schemas.events;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.Require;

/** A chunk was read from the pinned source version and written; checksum is over the bytes read. */
public record ChunkCopied(String job, String objectKey, String planId, String version, int chunkIndex, long offset, long length,
        Checksum checksum, String worker) implements ObjectResult {
    public ChunkCopied {
        Require.present(job, "job");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(checksum, "checksum");
        Require.notNegative(chunkIndex, "chunkIndex");
        Require.notNegative(offset, "offset");
        Require.notNegative(length, "length");
    }
}

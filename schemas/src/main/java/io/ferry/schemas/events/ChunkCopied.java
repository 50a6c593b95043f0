package io.ferry.schemas.events;

import io.ferry.checksum.Checksum;

/** A chunk was read from the pinned source version and written; checksum is over the bytes read. */
public record ChunkCopied(String job, String objectKey, String planId, String version, int chunkIndex, long offset, long length,
        Checksum checksum, String worker) implements ChunkResult {
}

package io.ferry.schemas.events;

/** Copy one chunk of a large object: a ranged read of the pinned version into part {@code chunkIndex}. */
public record CopyPart(String job, Endpoints endpoints, String objectKey, String planId, String version, long size,
        String uploadId, int chunkIndex, long offset, long length) implements ChunkTask {

    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|" + chunkIndex;
    }
}

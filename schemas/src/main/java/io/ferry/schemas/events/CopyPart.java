package io.ferry.schemas.events;

import io.ferry.schemas.Require;

/** Copy one chunk of a large object: a ranged read of the pinned version into part {@code chunkIndex}. */
public record CopyPart(String job, Endpoints endpoints, String objectKey, String planId, String version, long size,
        String uploadId, int chunkIndex, long offset, long length) implements ChunkTask {
    public CopyPart {
        Require.present(job, "job");
        Require.present(endpoints, "endpoints");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(uploadId, "uploadId");
        Require.notNegative(size, "size");
        Require.notNegative(chunkIndex, "chunkIndex");
        Require.notNegative(offset, "offset");
        Require.notNegative(length, "length");
    }


    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|" + chunkIndex;
    }
}

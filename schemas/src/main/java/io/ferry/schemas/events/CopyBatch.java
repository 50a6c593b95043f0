package io.ferry.schemas.events;

import java.util.List;

/** Copy several small objects, each written whole and checked by re-read before it counts. */
public record CopyBatch(String job, Endpoints endpoints, String batchId, List<ObjectVersion> objects)
        implements ChunkTask {

    /** One object of a batch, pinned to the version the scanner saw. */
    public record ObjectVersion(String objectKey, String planId, String version, long size) {
    }

    @Override
    public String taskKey() {
        return job + "|batch|" + batchId;
    }
}

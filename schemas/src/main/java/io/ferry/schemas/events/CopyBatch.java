package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.util.List;

/** Copy several small objects, each written whole and checked by re-read before it counts. */
public record CopyBatch(String job, Endpoints endpoints, String batchId, List<ObjectVersion> objects)
        implements ChunkTask {
    public CopyBatch {
        Require.present(job, "job");
        Require.present(endpoints, "endpoints");
        Require.present(batchId, "batchId");
        objects = List.copyOf(Require.notEmpty(objects, "objects"));
    }


    /** One object of a batch, pinned to the version the scanner saw. */
    public record ObjectVersion(String objectKey, String planId, String version, long size) {
        public ObjectVersion {
            Require.present(objectKey, "objects[].objectKey");
            Require.present(planId, "objects[].planId");
            Require.notNegative(size, "objects[].size");
        }
    }

    @Override
    public String taskKey() {
        return job + "|batch|" + batchId;
    }
}

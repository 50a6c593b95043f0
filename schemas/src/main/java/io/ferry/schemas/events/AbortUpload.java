package io.ferry.schemas.events;

import io.ferry.schemas.Require;

/** Discard the multipart upload of a plan that will not be committed (source changed, gone, or failed). */
public record AbortUpload(String job, Endpoints endpoints, String objectKey, String planId, String uploadId)
        implements ChunkTask {
    public AbortUpload {
        Require.present(job, "job");
        Require.present(endpoints, "endpoints");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(uploadId, "uploadId");
    }


    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|abort";
    }
}

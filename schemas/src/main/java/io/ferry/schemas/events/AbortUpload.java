package io.ferry.schemas.events;

/** Discard the multipart upload of a plan that will not be committed (source changed, gone, or failed). */
public record AbortUpload(String job, Endpoints endpoints, String objectKey, String planId, String uploadId)
        implements ChunkTask {

    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|abort";
    }
}

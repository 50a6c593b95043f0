package io.ferry.schemas.events;

import io.ferry.schemas.Require;

/**
 * Complete the multipart upload of an object whose every chunk was confirmed, then re-read the
 * destination chunk by chunk so the verifier can compare checksums.
 */
public record CommitObject(String job, Endpoints endpoints, String objectKey, String planId, String version, long size,
        String uploadId, long chunkSize, int chunkCount) implements ChunkTask {
    public CommitObject {
        Require.present(job, "job");
        Require.present(endpoints, "endpoints");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(uploadId, "uploadId");
        Require.notNegative(size, "size");
        Require.notNegative(chunkSize, "chunkSize");
        Require.notNegative(chunkCount, "chunkCount");
    }


    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|commit";
    }
}

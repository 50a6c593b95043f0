package io.ferry.schemas.events;

/**
 * Complete the multipart upload of an object whose every chunk was confirmed, then re-read the
 * destination chunk by chunk so the verifier can compare checksums.
 */
public record CommitObject(String job, Endpoints endpoints, String objectKey, String planId, String version, long size,
        String uploadId, long chunkSize, int chunkCount) implements ChunkTask {

    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|commit";
    }
}

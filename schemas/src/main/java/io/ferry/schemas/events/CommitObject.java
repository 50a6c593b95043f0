package io.ferry.schemas.events;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.Require;
import java.util.List;

/**
 * Complete the multipart upload of an object whose every chunk was confirmed, then re-read the
 * destination chunk by chunk so the verifier can compare checksums. {@code sentChunks} are the
 * SHA-256 of each chunk as the workers read and sent it, in chunk order: a store that kept its own
 * SHA-256 of each part can confirm them at completion, which under {@code verify_after_copy: false}
 * stands in for the re-read. Empty in a task written before the field existed: that one is re-read.
 */
public record CommitObject(String job, Endpoints endpoints, String objectKey, String planId, String version, long size,
        String uploadId, long chunkSize, int chunkCount, List<Checksum> sentChunks) implements ChunkTask {
    public CommitObject {
        Require.present(job, "job");
        Require.present(endpoints, "endpoints");
        Require.present(objectKey, "objectKey");
        Require.present(planId, "planId");
        Require.present(uploadId, "uploadId");
        Require.notNegative(size, "size");
        Require.notNegative(chunkSize, "chunkSize");
        Require.notNegative(chunkCount, "chunkCount");
        if (sentChunks == null) {
            sentChunks = List.of();
        } else if (!sentChunks.isEmpty()) {
            if (sentChunks.size() != chunkCount) {
                throw new IllegalArgumentException("sentChunks has " + sentChunks.size() + " checksums, not chunkCount " + chunkCount);
            }
            for (int i = 0; i < sentChunks.size(); i++) {
                Require.present(sentChunks.get(i), "sentChunks[" + i + "]");
            }
            sentChunks = List.copyOf(sentChunks);
        }
    }

    @Override
    public String taskKey() {
        return job + "|" + objectKey + "|commit";
    }
}

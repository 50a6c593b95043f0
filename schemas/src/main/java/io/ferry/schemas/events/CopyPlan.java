package io.ferry.schemas.events;

import io.ferry.schemas.Require;
/**
 * How one object version is copied. SINGLE_PUT objects are written whole by a batch task;
 * MULTIPART objects are split into {@code chunkCount} chunks of {@code chunkSize} (the last one
 * shorter) uploaded as parts of {@code uploadId}, then committed.
 */
public record CopyPlan(Strategy strategy, long chunkSize, int chunkCount, String uploadId) {
    public CopyPlan {
        Require.present(strategy, "plan.strategy");
        if (chunkSize < 1 || chunkCount < 1) {
            throw new IllegalArgumentException("plan.chunkSize and plan.chunkCount must be at least 1");
        }
        if (strategy == Strategy.MULTIPART) {
            Require.present(uploadId, "plan.uploadId");
        }
    }

    public enum Strategy {
        SINGLE_PUT, MULTIPART
    }

    public static CopyPlan singlePut(long size) {
        return new CopyPlan(Strategy.SINGLE_PUT, Math.max(size, 1), 1, null);
    }

    public long chunkOffset(int chunkIndex) {
        return chunkIndex * chunkSize;
    }

    public long chunkLength(int chunkIndex, long objectSize) {
        return Math.max(0, Math.min(chunkSize, objectSize - chunkOffset(chunkIndex)));
    }
}

package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import java.util.List;

/**
 * The results of several objects of one {@link CopyBatch}, in one record instead of one each.
 * Every object's key falls on the record's partition (the worker groups a batch's results by
 * partition), so the verifier task that reads it holds each object's progress. Keyed by its first
 * object. Each result is taken as if it had come alone, in order.
 */
public record BatchResults(String job, List<ObjectResult> results) implements ChunkResult {
    public BatchResults {
        Require.present(job, "job");
        Require.notEmpty(results, "results");
        for (int i = 0; i < results.size(); i++) {
            ObjectResult result = Require.present(results.get(i), "results[" + i + "]");
            if (!job.equals(result.job())) {
                throw new IllegalArgumentException("results[" + i + "].job is " + result.job() + ", not the batch's " + job);
            }
        }
        results = List.copyOf(results);
    }

    @Override
    public List<ObjectResult> objectResults() {
        return results;
    }

    @Override
    public String recordKey() {
        return results.get(0).recordKey();
    }
}

package io.ferry.jobs;

import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.storage.ResolvedEndpoint;
import java.util.List;

/**
 * A ReplicationJob as {@link JobKernel} accepted it: the document, its typed settings, the endpoints
 * every task carries, each side resolved by its backend (opened without reading its parameters
 * again), and the fields Ferry does not act on. Immutable; what the services pass around.
 *
 * @param document the job as submitted, with Ferry's generation
 * @param endpoints both sides with the job-wide parameters their backends take, and the copy options
 * @param notHonoured one line per field accepted but not acted on, each naming the field
 */
public record ValidatedJob(
        ReplicationJob document,
        JobSettings settings,
        Endpoints endpoints,
        ResolvedEndpoint source,
        ResolvedEndpoint destination,
        List<String> notHonoured) {

    public ValidatedJob {
        notHonoured = List.copyOf(notHonoured);
    }

    /** {@code namespace/name}: the record key on {@code ferry.jobs.v1}. */
    public String key() {
        return document.key();
    }

    /** The generation of the job's spec. */
    public long generation() {
        return document.generation();
    }

    /** The same job at another generation, without any status it carried. */
    public ValidatedJob atGeneration(long generation) {
        ReplicationJob stored = document.withMetadata(document.metadata().withGeneration(generation)).withStatus(null);
        return new ValidatedJob(stored, settings, endpoints, source, destination, notHonoured);
    }
}

package io.ferry.schemas.job;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OME {@code ReplicationJob} ({@code apiVersion: ome.io/v1beta1}). Fields Ferry does not
 * know are kept in {@code extra} and written back unchanged, so a document survives a round
 * trip through Ferry. Use {@link JobDocuments#parse} to read and validate one.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReplicationJob(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        ReplicationJobSpec spec,
        JobStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String API_VERSION = "ome.io/v1beta1";
    public static final String KIND = "ReplicationJob";

    public ReplicationJob {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** The record key on {@code ferry.jobs.v1}: {@code namespace/name}. */
    public String key() {
        return metadata.namespaceOrDefault() + "/" + metadata.name();
    }

    public ReplicationJob withMetadata(ObjectMeta newMetadata) {
        return new ReplicationJob(apiVersion, kind, newMetadata, spec, status, extra);
    }

    public ReplicationJob withStatus(JobStatus newStatus) {
        return new ReplicationJob(apiVersion, kind, metadata, spec, newStatus, extra);
    }

    /** The generation the job's spec is at; 1 for a document that never carried one. */
    public long generation() {
        return metadata.generation() == null ? 1 : metadata.generation();
    }
}

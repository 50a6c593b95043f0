package io.ferry.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A unit of copy work for the transfer workers, on {@code ferry.chunk-tasks.v1}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CopyBatch.class, name = "CopyBatch"),
    @JsonSubTypes.Type(value = CopyPart.class, name = "CopyPart"),
    @JsonSubTypes.Type(value = CommitObject.class, name = "CommitObject"),
    @JsonSubTypes.Type(value = AbortUpload.class, name = "AbortUpload")
})
public sealed interface ChunkTask permits CopyBatch, CopyPart, CommitObject, AbortUpload {
    String job();

    Endpoints endpoints();

    /** The record key: spreads chunks of one object over partitions, keeps one batch together. */
    String taskKey();
}

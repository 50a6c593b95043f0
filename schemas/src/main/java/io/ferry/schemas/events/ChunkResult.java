package io.ferry.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.ferry.schemas.Keys;

/** What a transfer worker did, on {@code ferry.chunk-results.v1}, key {@code job|objectKey}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChunkCopied.class, name = "ChunkCopied"),
    @JsonSubTypes.Type(value = ChunkFailed.class, name = "ChunkFailed"),
    @JsonSubTypes.Type(value = ObjectCommitted.class, name = "ObjectCommitted")
})
public sealed interface ChunkResult permits ChunkCopied, ChunkFailed, ObjectCommitted {
    String job();

    String objectKey();

    String planId();

    String version();

    default String recordKey() {
        return Keys.object(job(), objectKey());
    }
}

package io.ferry.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * What a transfer worker did, on {@code ferry.chunk-results.v1}: one object's result
 * ({@link ObjectResult}, key {@code job|objectKey}), or the results of several objects of one
 * batch task whose keys share a partition ({@link BatchResults}, key its first object's).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChunkCopied.class, name = "ChunkCopied"),
    @JsonSubTypes.Type(value = ChunkFailed.class, name = "ChunkFailed"),
    @JsonSubTypes.Type(value = ObjectCommitted.class, name = "ObjectCommitted"),
    @JsonSubTypes.Type(value = BatchResults.class, name = "BatchResults")
})
public sealed interface ChunkResult permits ObjectResult, BatchResults {
    String job();

    /** The record's key: the (first) object's, so the record lands on that object's partition. */
    String recordKey();

    /** The object results this record carries, in order: itself, or a batch's. */
    List<ObjectResult> objectResults();
}

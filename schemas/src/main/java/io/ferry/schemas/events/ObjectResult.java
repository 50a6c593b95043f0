package io.ferry.schemas.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.ferry.schemas.Keys;
import java.util.List;

/** One object's result: a chunk copied or failed, or the object committed and read back. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ChunkCopied.class, name = "ChunkCopied"),
    @JsonSubTypes.Type(value = ChunkFailed.class, name = "ChunkFailed"),
    @JsonSubTypes.Type(value = ObjectCommitted.class, name = "ObjectCommitted")
})
public sealed interface ObjectResult extends ChunkResult permits ChunkCopied, ChunkFailed, ObjectCommitted {
    String objectKey();

    String planId();

    String version();

    @Override
    default List<ObjectResult> objectResults() {
        return List.of(this);
    }

    @Override
    default String recordKey() {
        return Keys.object(job(), objectKey());
    }
}

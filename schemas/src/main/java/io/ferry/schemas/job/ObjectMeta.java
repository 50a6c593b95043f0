package io.ferry.schemas.job;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/** Kubernetes-style metadata. {@code generation} is bumped by Ferry when the spec changes. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ObjectMeta(
        String name,
        String namespace,
        Map<String, String> labels,
        Map<String, String> annotations,
        Long generation,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String DEFAULT_NAMESPACE = "default";

    public ObjectMeta {
        labels = labels == null ? Map.of() : labels;
        annotations = annotations == null ? Map.of() : annotations;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public String namespaceOrDefault() {
        return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }

    public ObjectMeta withGeneration(long newGeneration) {
        return new ObjectMeta(name, namespaceOrDefault(), labels, annotations, newGeneration, extra);
    }
}

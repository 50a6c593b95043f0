package io.ferry.schemas.job;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side of a job: a {@code storageUri} and its free-form {@code parameters} (region,
 * endpoint, authentication, multipart sizes, ...). Values are kept as given in the document;
 * {@link JobSettings} reads them into types. Secrets appear only by name.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record StorageEndpoint(
        String storageUri,
        Map<String, Object> parameters,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public StorageEndpoint {
        parameters = parameters == null ? Map.of() : parameters;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public StorageEndpoint(String storageUri, Map<String, Object> parameters) {
        this(storageUri, parameters, null);
    }

    /**
     * Which physical place this names: the URI, plus the endpoint for stores reached through one
     * (the same bucket name on two S3-compatibles is two places). Tuning parameters do not count.
     */
    @JsonIgnore
    public String identity() {
        String endpoint = parameter("endpoint");
        return endpoint == null ? storageUri : storageUri + " @ " + endpoint;
    }

    /** A parameter as a string, or null when absent. */
    public String parameter(String name) {
        Object v = parameters.get(name);
        return v == null ? null : v.toString();
    }
}

package io.ferry.schemas.job;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OME spec ({@code source}, {@code destination}, {@code compartmentID}) plus Ferry's
 * additions: {@code mode} ({@code once} | {@code continuous} | {@code scheduled}),
 * {@code scanInterval}, {@code schedule}, {@code deletePolicy}, {@code include} /
 * {@code exclude} glob filters and {@code suspend}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReplicationJobSpec(
        StorageEndpoint source,
        StorageEndpoint destination,
        String compartmentID,
        String mode,
        String scanInterval,
        String schedule,
        String deletePolicy,
        List<String> include,
        List<String> exclude,
        Boolean suspend,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ReplicationJobSpec {
        include = include == null ? List.of() : include;
        exclude = exclude == null ? List.of() : exclude;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }
}

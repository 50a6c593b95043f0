package io.ferry.schemas.job;

import io.ferry.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a ReplicationJob document in code (local mode, the benchmark, tests): every value is data,
 * so a path or a parameter can never break the document's syntax, as text spliced into YAML can.
 */
public final class JobBuilder {
    private final String namespace;
    private final String name;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Map<String, Object> sourceParameters = new LinkedHashMap<>();
    private final Map<String, Object> destinationParameters = new LinkedHashMap<>();
    private String sourceUri;
    private String destinationUri;
    private String mode;
    private String scanInterval;
    private String schedule;
    private String deletePolicy;
    private Boolean suspend;

    private JobBuilder(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
    }

    /** A job named {@code namespace/name}. */
    public static JobBuilder job(String namespace, String name) {
        return new JobBuilder(namespace, name);
    }

    public JobBuilder mode(String mode) {
        this.mode = mode;
        return this;
    }

    public JobBuilder scanInterval(String scanInterval) {
        this.scanInterval = scanInterval;
        return this;
    }

    /** A cron expression, for {@code mode("scheduled")}. */
    public JobBuilder schedule(String schedule) {
        this.schedule = schedule;
        return this;
    }

    /** {@code keep} or {@code propagate}. */
    public JobBuilder deletePolicy(String deletePolicy) {
        this.deletePolicy = deletePolicy;
        return this;
    }

    /** {@code spec.suspend}: true pauses the job. */
    public JobBuilder suspend(boolean suspend) {
        this.suspend = suspend;
        return this;
    }

    public JobBuilder annotation(String key, String value) {
        annotations.put(key, value);
        return this;
    }

    /** Sets the source's URI and adds {@code parameters} to its parameters. */
    public JobBuilder source(String storageUri, Map<String, ?> parameters) {
        sourceUri = storageUri;
        sourceParameters.putAll(parameters);
        return this;
    }

    public JobBuilder source(String storageUri) {
        return source(storageUri, Map.of());
    }

    /** Sets the destination's URI and adds {@code parameters} to its parameters. */
    public JobBuilder destination(String storageUri, Map<String, ?> parameters) {
        destinationUri = storageUri;
        destinationParameters.putAll(parameters);
        return this;
    }

    public JobBuilder destination(String storageUri) {
        return destination(storageUri, Map.of());
    }

    /** Adds a parameter to both sides, as the OME examples write the multipart sizes. */
    public JobBuilder bothSides(String parameter, String value) {
        sourceParameters.put(parameter, value);
        destinationParameters.put(parameter, value);
        return this;
    }

    public JobBuilder destinationParameter(String parameter, String value) {
        destinationParameters.put(parameter, value);
        return this;
    }

    public ReplicationJob build() {
        var metadata = new ObjectMeta(name, namespace, null, annotations, null, null);
        var spec = new ReplicationJobSpec(new StorageEndpoint(sourceUri, sourceParameters),
                new StorageEndpoint(destinationUri, destinationParameters), null, mode, scanInterval, schedule, deletePolicy, null,
                null, suspend, null);
        return new ReplicationJob(ReplicationJob.API_VERSION, ReplicationJob.KIND, metadata, spec, null, null);
    }

    /** The document as JSON (which is YAML), ready to submit. */
    public String json() {
        try {
            return Json.MAPPER.writeValueAsString(build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

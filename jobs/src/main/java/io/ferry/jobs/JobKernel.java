package io.ferry.jobs;

import io.ferry.schemas.Json;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobRefusedException;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.ResolvedEndpoint;
import io.ferry.storage.StorageUri;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place a ReplicationJob is read: parse, structural checks, settings with their defaults,
 * each side resolved by its storage backend (checked without connecting), and the fields Ferry does
 * not act on. Every problem is reported at once, each naming its field.
 *
 * <p>A service reads a job once where it arrives from outside (REST, or a record on
 * {@code ferry.jobs.v1}) and passes the {@link ValidatedJob} on. The kernel remembers the last
 * valid record it read or wrote per job (as many as the catalog holds jobs), so a service whose
 * consumers meet the same record twice (or read back what it just wrote) validates it once. An
 * invalid record is not remembered: junk under ever new keys must not grow the memory. Thread-safe.
 */
public final class JobKernel {
    /** The store parameter OME's {@code spec.compartmentID} supplies to the backends that take it job-wide. */
    static final String COMPARTMENT_PARAMETER = "compartment_id";

    private final ObjectStores stores;
    private final JobPolicy policy;
    private final Map<String, Remembered> lastRecord = new ConcurrentHashMap<>();

    private record Remembered(byte[] value, ValidatedJob job) {
    }

    /**
     * A kernel that resolves job sides with {@code stores} (the backends installed in this process)
     * and refuses jobs outside their namespace's {@code policy}.
     */
    public JobKernel(ObjectStores stores, JobPolicy policy) {
        this.stores = stores;
        this.policy = policy;
    }

    /**
     * Checks what can be checked without the storage backends (structure and settings): for a
     * client, before it sends a job to a service that reads it whole.
     *
     * @throws InvalidJobException naming every field at fault
     */
    public static ReplicationJob checkDocument(String document) {
        ReplicationJob job = JobDocuments.parse(document.getBytes(StandardCharsets.UTF_8));
        JobSettings.of(job);
        return job;
    }

    /**
     * Reads a submitted job document (YAML or JSON).
     *
     * @throws InvalidJobException naming every field at fault ({@link JobRefusedException} when
     *     the job is valid but outside its namespace's policy)
     */
    public ValidatedJob read(byte[] document) {
        return accept(JobDocuments.parse(document));
    }

    public ValidatedJob read(String document) {
        return read(document.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the value of a {@code ferry.jobs.v1} record; its key must be the job's
     * {@code namespace/name}. The same bytes for the same key are validated once.
     *
     * @throws InvalidJobException naming every field at fault, or the key that does not match
     */
    public ValidatedJob fromRecord(String key, byte[] value) {
        Remembered seen = key == null ? null : lastRecord.get(key);
        if (seen != null && Arrays.equals(seen.value(), value)) {
            return seen.job();
        }
        ValidatedJob job = read(value);
        if (!job.key().equals(key)) {
            throw new InvalidJobException("metadata", "record key '" + key + "' does not match namespace/name '"
                    + job.key() + "'");
        }
        lastRecord.put(key, new Remembered(value, job));
        return job;
    }

    /** The record value for a job, remembered so that reading it back costs no second validation. */
    public byte[] toRecord(ValidatedJob job) {
        try {
            byte[] value = Json.MAPPER.writeValueAsBytes(job.document());
            lastRecord.put(job.key(), new Remembered(value, job));
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write job " + job.key(), e);
        }
    }

    /** Forgets a deleted job. */
    public void forget(String key) {
        lastRecord.remove(key);
    }

    /**
     * Reads a document {@link JobDocuments#parse} already parsed (a caller that looked at its
     * namespace first), as {@link #read(byte[])} does.
     *
     * @throws InvalidJobException naming every field at fault
     */
    public ValidatedJob accept(ReplicationJob job) {
        JobSettings settings = JobSettings.of(job);
        var errors = new ArrayList<FieldError>();
        String compartment = job.spec().compartmentID();
        Map<String, String> jobWide = compartment == null ? Map.of() : Map.of(COMPARTMENT_PARAMETER, compartment);
        Side source = side(errors, "spec.source", job.spec().source(), jobWide);
        Side destination = side(errors, "spec.destination", job.spec().destination(), jobWide);
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
        String namespace = job.metadata().namespaceOrDefault();
        errors.addAll(policy.violations(namespace, "spec.source", source.resolved().options().access()));
        errors.addAll(policy.violations(namespace, "spec.destination", destination.resolved().options().access()));
        if (!errors.isEmpty()) {
            throw new JobRefusedException(errors);
        }
        var endpoints = new Endpoints(source.endpoint(), destination.endpoint(), settings.copyOptions());
        List<String> notHonoured = NotHonoured.fields(job, stores, source.resolved().uri().scheme(),
                destination.resolved().uri().scheme());
        return new ValidatedJob(job, settings, endpoints, source.resolved(), destination.resolved(), notHonoured);
    }

    private record Side(StorageEndpoint endpoint, ResolvedEndpoint resolved) {
    }

    /** One side with the job-wide parameters its backend takes, resolved by that backend; null after an error. */
    private Side side(List<FieldError> errors, String field, StorageEndpoint endpoint, Map<String, String> jobWide) {
        StorageUri uri;
        try {
            uri = stores.uri(endpoint.storageUri());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field + ".storageUri", e.getMessage()));
            return null;
        }
        StorageEndpoint withJobWide = withJobWide(endpoint, stores.jobWideParameters(uri.scheme()), jobWide);
        try {
            return new Side(withJobWide, stores.resolve(withJobWide.storageUri(), withJobWide.parameters()));
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }

    private static StorageEndpoint withJobWide(StorageEndpoint endpoint, Set<String> taken, Map<String, String> jobWide) {
        Map<String, Object> parameters = null;
        for (var e : jobWide.entrySet()) {
            if (taken.contains(e.getKey()) && !endpoint.parameters().containsKey(e.getKey())) {
                parameters = parameters == null ? new LinkedHashMap<>(endpoint.parameters()) : parameters;
                parameters.put(e.getKey(), e.getValue());
            }
        }
        return parameters == null ? endpoint : new StorageEndpoint(endpoint.storageUri(), parameters, endpoint.extra());
    }
}

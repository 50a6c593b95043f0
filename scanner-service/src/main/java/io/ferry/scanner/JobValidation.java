package io.ferry.scanner;

import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobSettings;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.ObjectStores;
import java.util.ArrayList;
import java.util.List;

/** The checks only a process with the storage backends can make: each side's URI and parameters. */
final class JobValidation {
    private JobValidation() {
    }

    /**
     * Checks that a backend serves each side's URI and would accept its parameters, without
     * connecting, so a job with a bad tier or a misspelt authentication mode is refused when it
     * arrives rather than failing its first scan.
     */
    static void checkEndpoints(ReplicationJob job, ObjectStores stores) {
        var errors = new ArrayList<FieldError>();
        var endpoints = JobSettings.of(job).endpoints(job.spec());
        check(errors, "spec.source", endpoints.source(), stores);
        check(errors, "spec.destination", endpoints.destination(), stores);
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
    }

    private static void check(List<FieldError> errors, String side, StorageEndpoint endpoint, ObjectStores stores) {
        try {
            stores.resolve(endpoint.storageUri());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(side + ".storageUri", e.getMessage()));
            return;
        }
        try {
            stores.validate(endpoint.storageUri(), endpoint.parameters());
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(side, e.getMessage()));
        }
    }
}

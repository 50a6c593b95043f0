package io.ferry.scanner;

import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.storage.ObjectStores;
import java.util.ArrayList;

/** The checks only a running scanner can make: is a backend installed for each storage URI. */
final class JobValidation {
    private JobValidation() {
    }

    static void checkSchemes(ReplicationJob job, ObjectStores stores) {
        var errors = new ArrayList<FieldError>();
        check(errors, "spec.source.storageUri", job.spec().source().storageUri(), stores);
        check(errors, "spec.destination.storageUri", job.spec().destination().storageUri(), stores);
        if (!errors.isEmpty()) {
            throw new InvalidJobException(errors);
        }
    }

    private static void check(java.util.List<FieldError> errors, String field, String uri, ObjectStores stores) {
        try {
            stores.resolve(uri);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }
}

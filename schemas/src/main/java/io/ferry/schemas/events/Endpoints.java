package io.ferry.schemas.events;

import io.ferry.schemas.Require;
import io.ferry.schemas.job.StorageEndpoint;

/**
 * Where a task reads and writes and how it copies, copied from the job so a transfer worker needs
 * nothing but the task. Parameters name secrets; they never hold one.
 *
 * @param options absent from events written before it existed; {@link CopyOptions#DEFAULTS} then
 */
public record Endpoints(StorageEndpoint source, StorageEndpoint destination, CopyOptions options) {
    public Endpoints {
        Require.present(source, "endpoints.source");
        Require.present(source.storageUri(), "endpoints.source.storageUri");
        Require.present(destination, "endpoints.destination");
        Require.present(destination.storageUri(), "endpoints.destination.storageUri");
        if (options == null) {
            options = CopyOptions.DEFAULTS;
        }
    }

    /** Endpoints with default copy options. */
    public Endpoints(StorageEndpoint source, StorageEndpoint destination) {
        this(source, destination, CopyOptions.DEFAULTS);
    }
}

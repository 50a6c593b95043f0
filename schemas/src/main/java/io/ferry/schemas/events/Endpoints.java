package io.ferry.schemas.events;

import io.ferry.schemas.job.StorageEndpoint;

/**
 * Where a task reads and writes, copied from the job so a transfer worker needs nothing but the
 * task. Parameters name secrets; they never hold one.
 */
public record Endpoints(StorageEndpoint source, StorageEndpoint destination) {
}

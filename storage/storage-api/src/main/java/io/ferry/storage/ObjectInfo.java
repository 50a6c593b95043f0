package io.ferry.storage;

import java.time.Instant;

/**
 * One object as a store lists or stats it.
 *
 * @param key path relative to the store's root, '/'-separated, never starting with '/'
 * @param version an opaque token that changes whenever the content may have changed (ETag for
 *     object stores; size and modification time for files); reads pin to it
 */
public record ObjectInfo(String key, long size, String version, Instant lastModified) {
}

package io.ferry.storage;

/**
 * A storage side resolved once: its parsed URI and the options its backend checked. Opening it
 * ({@link ObjectStores#open(ResolvedEndpoint)}) reads nothing again.
 */
public record ResolvedEndpoint(StorageUri uri, StoreOptions options) {
}

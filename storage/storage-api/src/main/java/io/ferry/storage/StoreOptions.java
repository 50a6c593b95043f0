package io.ferry.storage;

/**
 * One side's URI and parameters as a backend read and checked them ({@link ObjectStoreProvider#options}),
 * ready to open without reading them again. Each backend has its own; only the backend that made
 * them opens them.
 */
public interface StoreOptions {
    /** What the side reaches and on whose authority, for the operator's policy. */
    Access access();
}

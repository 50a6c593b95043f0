package io.ferry.storage;

import java.util.Collection;

/**
 * Stores whose written objects survive a crash only once the directories naming them are synced
 * (POSIX file systems): a file's bytes are forced to disk before it is renamed under its key, but
 * the rename, and any directory made for it, is durable only when the directory is. Syncing once
 * per batch of objects rather than per object keeps the cost to a sync per directory touched.
 */
public interface SupportsDurableNames {
    /**
     * Makes the names of these keys, already written, survive a crash: every directory from each
     * key's parent up to the store's root is synced, each once. Nothing is reported verified before.
     *
     * @throws StorageException (retryable) when a directory cannot be synced
     */
    void syncNames(Collection<String> keys) throws StorageException;
}

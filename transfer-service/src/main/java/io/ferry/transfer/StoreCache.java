package io.ferry.transfer;

import io.ferry.schemas.job.StorageEndpoint;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One open store per endpoint (URI and parameters), reused across tasks: clients are costly to build. */
final class StoreCache implements AutoCloseable {
    private final ObjectStores stores;
    private final Map<StorageEndpoint, ObjectStore> open = new ConcurrentHashMap<>();

    StoreCache(ObjectStores stores) {
        this.stores = stores;
    }

    ObjectStore get(StorageEndpoint endpoint) throws StorageException {
        ObjectStore store = open.get(endpoint);
        if (store != null) {
            return store;
        }
        synchronized (this) {
            store = open.get(endpoint);
            if (store == null) {
                store = stores.open(endpoint.storageUri(), endpoint.parameters());
                open.put(endpoint, store);
            }
            return store;
        }
    }

    @Override
    public void close() {
        open.values().forEach(ObjectStore::close);
        open.clear();
    }
}

package io.ferry.storage.testkit;

import io.ferry.storage.ObjectStore;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore() {
        return new InMemoryObjectStore();
    }
}

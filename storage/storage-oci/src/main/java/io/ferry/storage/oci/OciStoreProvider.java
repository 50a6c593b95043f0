package io.ferry.storage.oci;

import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;

import java.util.Map;
import java.util.Set;

/**
 * {@code oci://namespace/bucket/prefix/} on OCI Object Storage. Parameters: {@code region},
 * {@code endpoint}, {@code authentication} (user_principal with {@code config_file} / {@code profile},
 * security_token, instance_principal, resource_principal, workload_identity), {@code storage_tier},
 * {@code encryption} with {@code kms_key_id}, {@code compartment_id}, {@code connection_pool_size}.
 */
public final class OciStoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("oci");
    }

    @Override
    public Set<String> parameters() {
        return OciOptions.PARAMETERS;
    }

    @Override
    public void validate(StorageUri uri, Map<String, Object> parameters) {
        OciOptions.of(uri, parameters);
    }

    @Override
    public ObjectStore open(StorageUri uri, Map<String, Object> parameters, Map<String, String> settings)
            throws StorageException {
        OciOptions options = OciOptions.of(uri, parameters);
        var clients = new OciClients(options, System::getenv);
        var store = new OciObjectStore(options, clients);
        if (options.compartmentId() != null) {
            try {
                store.checkCompartment();
            } catch (StorageException | RuntimeException e) {
                store.close();
                throw e;
            }
        }
        return store;
    }
}

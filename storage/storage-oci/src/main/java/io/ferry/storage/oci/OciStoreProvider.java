package io.ferry.storage.oci;

import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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

    /** A job's {@code spec.compartmentID} is the compartment of every oci:// side that names none. */
    @Override
    public Set<String> jobWideParameters() {
        return Set.of(OciOptions.COMPARTMENT_ID);
    }

    @Override
    public StoreOptions options(StorageUri uri, Map<String, Object> parameters) {
        return OciOptions.of(uri, parameters);
    }

    @Override
    public ObjectStore open(StoreOptions options, Map<String, String> settings) throws StorageException {
        return open((OciOptions) options, settings, System::getenv);
    }

    /** {@link #open} with the process environment given, for the modes that read it. */
    static OciObjectStore open(OciOptions options, Map<String, String> settings, Function<String, String> environment)
            throws StorageException {
        var clients = new OciClients(options, settings, environment);
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

package io.ferry.storage.s3;

import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.Secrets;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
import java.util.Map;
import java.util.Set;

/**
 * {@code s3://bucket/prefix/} on AWS or any S3-compatible. Parameters: {@code region},
 * {@code endpoint} (path-style unless {@code path_style: false}), {@code access_key_id_secret} /
 * {@code secret_access_key_secret} (else the default AWS chain), {@code storage_tier},
 * {@code encryption} with {@code kms_key_id}, {@code checksum_mode}, {@code connection_pool_size}.
 */
public final class S3StoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("s3");
    }

    @Override
    public Set<String> parameters() {
        return S3Options.PARAMETERS;
    }

    @Override
    public StoreOptions options(StorageUri uri, Map<String, Object> parameters) {
        return S3Options.of(uri, parameters);
    }

    @Override
    public ObjectStore open(StoreOptions options, Map<String, String> settings) {
        S3Options s3 = (S3Options) options;
        return new S3ObjectStore(s3, new S3Clients(s3, Secrets.of(settings)));
    }
}

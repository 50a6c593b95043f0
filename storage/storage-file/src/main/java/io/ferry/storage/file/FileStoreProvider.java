package io.ferry.storage.file;

import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.StorageUri;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * {@code file:///abs/path/}; {@code pvc://claim/sub/path/} and {@code nfs://server/path/}
 * resolve to a mounted directory: the {@code mount_path} parameter is where the claim (or the
 * server's export root) is mounted, else the settings {@code pvc-mount-root} /
 * {@code nfs-mount-root} hold a directory with one sub-directory per claim (per server).
 */
public final class FileStoreProvider implements ObjectStoreProvider {
    public static final String MOUNT_PATH = "mount_path";

    @Override
    public Set<String> schemes() {
        return Set.of("file", "pvc", "nfs");
    }

    @Override
    public Set<String> parameters() {
        return Set.of(MOUNT_PATH);
    }

    /** The mount root of pvc:// and nfs:// may be a setting of the process that opens it, so only the URI's form and mount_path are checked. */
    @Override
    public void validate(StorageUri uri, Map<String, Object> parameters) {
        if (uri.scheme().equals("file")) {
            resolve(uri, parameters, Map.of());
            return;
        }
        if (uri.authority().isEmpty()) {
            throw new IllegalArgumentException("storageUri '" + uri + "': needs a " + (uri.scheme().equals("pvc") ? "claim" : "server") + " name");
        }
        Object mount = parameters.get(MOUNT_PATH);
        if (mount != null && !Path.of(mount.toString()).isAbsolute()) {
            throw new IllegalArgumentException("parameters.mount_path must be absolute, not '" + mount + "'");
        }
    }

    @Override
    public ObjectStore open(StorageUri uri, Map<String, Object> parameters, Map<String, String> settings) {
        return new FileObjectStore(resolve(uri, parameters, settings));
    }

    static Path resolve(StorageUri uri, Map<String, Object> parameters, Map<String, String> settings) {
        String relative = uri.path().startsWith("/") ? uri.path().substring(1) : uri.path();
        if (uri.scheme().equals("file")) {
            if (!uri.authority().isEmpty() && !uri.authority().equals("localhost")) {
                throw new IllegalArgumentException("storageUri '" + uri + "': file URIs take no host; write file:///abs/path/");
            }
            if (uri.path().isEmpty()) {
                throw new IllegalArgumentException("storageUri '" + uri + "': file URIs need an absolute path");
            }
            return Path.of(uri.path());
        }
        if (uri.authority().isEmpty()) {
            throw new IllegalArgumentException("storageUri '" + uri + "': needs a " + (uri.scheme().equals("pvc") ? "claim" : "server") + " name");
        }
        Object mount = parameters.get(MOUNT_PATH);
        Path base;
        if (mount != null) {
            base = Path.of(mount.toString());
            if (!base.isAbsolute()) {
                throw new IllegalArgumentException("parameters.mount_path must be absolute, not '" + mount + "'");
            }
        } else {
            String rootKey = uri.scheme() + "-mount-root";
            String root = settings.get(rootKey);
            if (root == null) {
                throw new IllegalArgumentException("storageUri '" + uri + "': set parameters.mount_path to where it is mounted"
                        + " (or ferry.storage." + rootKey + ")");
            }
            base = Path.of(root, uri.authority());
        }
        return base.resolve(relative).normalize();
    }
}

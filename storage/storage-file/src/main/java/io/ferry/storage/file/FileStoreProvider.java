package io.ferry.storage.file;

import io.ferry.storage.Access;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStoreProvider;
import io.ferry.storage.StorageUri;
import io.ferry.storage.StoreOptions;
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

    /** Where a file side's directory is: the URI and, for pvc:// and nfs://, the mount_path parameter if set. */
    record FileOptions(StorageUri uri, Path mountPath) implements StoreOptions {
        /** The directory reached: a claim or export mounted at mount_path is that directory, by its path. */
        @Override
        public Access access() {
            String root;
            if (uri.scheme().equals("file")) {
                root = directoryUri(fileRoot(uri));
            } else if (mountPath != null) {
                String relative = uri.path().startsWith("/") ? uri.path().substring(1) : uri.path();
                root = directoryUri(mountPath.resolve(relative));
            } else {
                String path = Path.of("/" + uri.path()).normalize().toString();
                root = uri.scheme() + "://" + uri.authority() + (path.endsWith("/") ? path : path + "/");
            }
            return new Access(root, null, Set.of(), Access.NO_AUTHENTICATION, null);
        }
    }

    /** As a policy writes roots: a percent-encoded {@code file:} URI ending in '/'. */
    private static String directoryUri(Path directory) {
        return StorageUri.directory(directory.normalize());
    }

    /** The mount root of pvc:// and nfs:// may be a setting of the process that opens it, so only the URI's form and mount_path are checked. */
    @Override
    public StoreOptions options(StorageUri uri, Map<String, Object> parameters) {
        Path mount = null;
        if (uri.scheme().equals("file")) {
            fileRoot(uri);
        } else {
            if (uri.authority().isEmpty()) {
                throw new IllegalArgumentException("storageUri '" + uri + "': needs a " + (uri.scheme().equals("pvc") ? "claim" : "server") + " name");
            }
            Object given = parameters.get(MOUNT_PATH);
            if (given != null) {
                mount = Path.of(given.toString());
                if (!mount.isAbsolute()) {
                    throw new IllegalArgumentException("parameters.mount_path must be absolute, not '" + given + "'");
                }
            }
        }
        return new FileOptions(uri, mount);
    }

    @Override
    public ObjectStore open(StoreOptions options, Map<String, String> settings) {
        return new FileObjectStore(root((FileOptions) options, settings));
    }

    private static Path fileRoot(StorageUri uri) {
        if (!uri.authority().isEmpty() && !uri.authority().equals("localhost")) {
            throw new IllegalArgumentException("storageUri '" + uri + "': file URIs take no host; write file:///abs/path/");
        }
        if (uri.path().isEmpty()) {
            throw new IllegalArgumentException("storageUri '" + uri + "': file URIs need an absolute path");
        }
        return Path.of(uri.path());
    }

    static Path root(FileOptions options, Map<String, String> settings) {
        StorageUri uri = options.uri();
        if (uri.scheme().equals("file")) {
            return fileRoot(uri);
        }
        Path base;
        if (options.mountPath() != null) {
            base = options.mountPath();
        } else {
            String rootKey = uri.scheme() + "-mount-root";
            String root = settings.get(rootKey);
            if (root == null) {
                throw new IllegalArgumentException("storageUri '" + uri + "': set parameters.mount_path to where it is mounted"
                        + " (or ferry.storage." + rootKey + ")");
            }
            base = Path.of(root, uri.authority());
        }
        String relative = uri.path().startsWith("/") ? uri.path().substring(1) : uri.path();
        return base.resolve(relative).normalize();
    }
}

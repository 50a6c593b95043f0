package io.ferry.storage;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A job's {@code storageUri}, split into scheme, authority (bucket, claim, server, OCI
 * namespace) and path (always ending in '/' or empty).
 */
public record StorageUri(String scheme, String authority, String path) {

    public static StorageUri parse(String uri) {
        URI u;
        try {
            u = new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + uri + "' is not a URI: " + e.getReason());
        }
        if (u.getScheme() == null) {
            throw new IllegalArgumentException("'" + uri + "' has no scheme");
        }
        String path = u.getPath() == null ? "" : u.getPath();
        if (!path.isEmpty() && !path.endsWith("/")) {
            path = path + "/";
        }
        return new StorageUri(u.getScheme().toLowerCase(Locale.ROOT), u.getAuthority() == null ? "" : u.getAuthority(), path);
    }

    /**
     * The {@code file:} URI of a directory, ending in '/'. Percent-encodes what a URI cannot hold as
     * it is (spaces, {@code #}, {@code %}, non-ASCII), so any directory name survives {@link #parse}.
     */
    public static String directory(Path directory) {
        String uri = directory.toAbsolutePath().normalize().toUri().toASCIIString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    @Override
    public String toString() {
        return scheme + "://" + authority + path;
    }
}

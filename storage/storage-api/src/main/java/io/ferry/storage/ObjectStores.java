package io.ferry.storage;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The scheme registry: picks the one backend for a URI's scheme. Fails fast, never falls back:
 * an unknown scheme and a scheme claimed by two backends are both errors.
 */
public final class ObjectStores {
    private final Map<String, ObjectStoreProvider> byScheme;
    private final Map<String, String> settings;

    public ObjectStores(List<ObjectStoreProvider> providers, Map<String, String> settings) {
        var map = new TreeMap<String, ObjectStoreProvider>();
        for (ObjectStoreProvider p : providers) {
            for (String scheme : p.schemes()) {
                ObjectStoreProvider previous = map.put(scheme, p);
                if (previous != null) {
                    throw new IllegalStateException("scheme '" + scheme + "' is claimed by both "
                            + previous.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        }
        this.byScheme = Map.copyOf(map);
        this.settings = Map.copyOf(settings);
    }

    /** Every backend on the class path. */
    public static ObjectStores installed(Map<String, String> settings) {
        return new ObjectStores(ServiceLoader.load(ObjectStoreProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList()), settings);
    }

    public boolean supports(String scheme) {
        return byScheme.containsKey(scheme);
    }

    /** Checks that a URI is usable, without opening anything. */
    public StorageUri resolve(String uri) {
        StorageUri parsed = StorageUri.parse(uri);
        if (!supports(parsed.scheme())) {
            throw new IllegalArgumentException("no storage backend for scheme '" + parsed.scheme()
                    + "' (installed: " + String.join(", ", byScheme.keySet()) + ")");
        }
        return parsed;
    }

    /** Opens the store for a URI; the caller closes it. */
    public ObjectStore open(String uri, Map<String, Object> parameters) throws StorageException {
        StorageUri parsed = resolve(uri);
        return byScheme.get(parsed.scheme()).open(parsed, parameters, settings);
    }
}

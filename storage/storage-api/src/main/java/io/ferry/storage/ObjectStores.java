package io.ferry.storage;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
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

    /** The parameters the backend of {@code scheme} acts on; empty for a scheme no backend serves. */
    public Set<String> parameters(String scheme) {
        ObjectStoreProvider provider = byScheme.get(scheme);
        return provider == null ? Set.of() : provider.parameters();
    }

    /** The parameters the backend of {@code scheme} takes from the job as a whole; empty for a scheme no backend serves. */
    public Set<String> jobWideParameters(String scheme) {
        ObjectStoreProvider provider = byScheme.get(scheme);
        return provider == null ? Set.of() : provider.jobWideParameters();
    }

    /**
     * Parses a URI and checks that a backend serves its scheme, without opening anything.
     *
     * @throws IllegalArgumentException naming what is wrong with the URI
     */
    public StorageUri uri(String uri) {
        StorageUri parsed = StorageUri.parse(uri);
        if (!supports(parsed.scheme())) {
            throw new IllegalArgumentException("no storage backend for scheme '" + parsed.scheme()
                    + "' (installed: " + String.join(", ", byScheme.keySet()) + ")");
        }
        return parsed;
    }

    /**
     * Reads and checks a URI and its parameters once, as opening needs them, without connecting.
     *
     * @throws IllegalArgumentException naming what is unusable
     */
    public ResolvedEndpoint resolve(String uri, Map<String, Object> parameters) {
        StorageUri parsed = uri(uri);
        return new ResolvedEndpoint(parsed, byScheme.get(parsed.scheme()).options(parsed, parameters));
    }

    /** Opens a resolved endpoint; the caller closes the store. */
    public ObjectStore open(ResolvedEndpoint endpoint) throws StorageException {
        return byScheme.get(endpoint.uri().scheme()).open(endpoint.options(), settings);
    }

    /** Resolves and opens in one step; the caller closes the store. */
    public ObjectStore open(String uri, Map<String, Object> parameters) throws StorageException {
        return open(resolve(uri, parameters));
    }
}

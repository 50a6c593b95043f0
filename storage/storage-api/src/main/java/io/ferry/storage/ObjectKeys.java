package io.ferry.storage;

/** Rules every backend applies to object keys before touching storage. */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    /**
     * Rejects keys that could escape a store's root or are not portable: empty, absolute, with a
     * NUL, a backslash, or a {@code .} / {@code ..} / empty segment.
     *
     * @return the key, for chaining
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String requireSafe(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("object key is empty");
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("object key contains NUL: " + key.replace('\0', '?'));
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("object key is absolute: " + key);
        }
        if (key.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("object key contains a backslash: " + key);
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key has a '" + segment + "' segment: " + key);
            }
        }
        return key;
    }
}

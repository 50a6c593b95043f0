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
        // walked rather than split: every task checks its key, and the array of segments split
        // made was a fiftieth of a worker's copy threads on small files
        for (int start = 0; start <= key.length(); ) {
            int end = key.indexOf('/', start);
            if (end < 0) {
                end = key.length();
            }
            int length = end - start;
            if (length == 0 || length <= 2 && key.charAt(start) == '.' && (length == 1 || key.charAt(start + 1) == '.')) {
                throw new IllegalArgumentException("object key has a '" + key.substring(start, end) + "' segment: " + key);
            }
            start = end + 1;
        }
        return key;
    }
}

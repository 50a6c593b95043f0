package io.ferry.storage;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job's parameters for one storage side, read the way every backend reads them: values as
 * trimmed text (blank is absent), and every problem collected so that all are reported at once,
 * each naming its parameter.
 */
public final class EndpointParameters {
    private final Map<String, Object> values;
    private final List<String> errors = new ArrayList<>();

    public EndpointParameters(Map<String, Object> values) {
        this.values = values;
    }

    /** The parameter as trimmed text, or null when absent or blank. */
    public String text(String name) {
        Object v = values.get(name);
        if (v == null) {
            return null;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }

    /** The parameter as an http(s) URL, or null when absent; a bad one is an error. */
    public URI httpUrl(String name) {
        String text = text(name);
        if (text == null) {
            return null;
        }
        try {
            URI url = URI.create(text);
            if (url.getScheme() == null || url.getHost() == null
                    || !(url.getScheme().equals("http") || url.getScheme().equals("https"))) {
                error("parameters." + name + " must be an http(s) URL, not '" + text + "'");
            }
            return url;
        } catch (IllegalArgumentException e) {
            error("parameters." + name + " is not a URL: " + e.getMessage());
            return null;
        }
    }

    /** The parameter as a whole number of at least 1, or {@code fallback} when absent; a bad one is an error. */
    public int positiveInt(String name, int fallback) {
        String text = text(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text);
            if (value < 1) {
                error("parameters." + name + " must be at least 1");
            }
            return value;
        } catch (NumberFormatException e) {
            error("parameters." + name + " must be a whole number, not '" + text + "'");
            return fallback;
        }
    }

    /** Records a problem; {@link #check()} reports them all. */
    public void error(String message) {
        errors.add(message);
    }

    /** @throws IllegalArgumentException naming every problem recorded */
    public void check() {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", errors));
        }
    }
}

package io.ferry.jobs;

import java.util.List;
import java.util.Locale;

/**
 * Names of job parameters that would carry a credential's value. A job names secrets (parameters
 * ending in {@code _secret}) and never holds one: a job is stored on a topic, returned by the API
 * and copied into every change event and task, so a value written inline would be everywhere.
 */
final class InlineCredentials {
    private static final List<String> WORDS = List.of("secret", "password", "passwd", "passphrase", "pass_phrase",
            "private_key", "key_content", "token", "access_key", "credential", "api_key", "client_key");
    /** Where a refused parameter's value goes instead. */
    static final String ADVICE = "inline credentials are not accepted (the value is not stored or echoed); put it in a"
            + " secret and name the secret (e.g. secret_access_key_secret: my-credentials), see README, Security";

    private InlineCredentials() {
    }

    /** True for a URL whose authority has user info ({@code http://KEY:SECRET@host:9000}), parsed or not. */
    static boolean inUserInfo(String value) {
        int scheme = value.indexOf("://");
        if (scheme < 0) {
            return false;
        }
        String rest = value.substring(scheme + 3);
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return rest.substring(0, end).contains("@");
    }

    /** True for a parameter name that looks like it carries a credential rather than naming a secret. */
    static boolean named(String parameter) {
        String name = parameter.toLowerCase(Locale.ROOT).replace('-', '_');
        if (name.endsWith("_secret") && !name.equals("client_secret")) {
            return false;
        }
        return WORDS.stream().anyMatch(name::contains);
    }
}

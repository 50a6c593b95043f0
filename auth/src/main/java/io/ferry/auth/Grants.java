package io.ferry.auth;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * What a token's groups (its {@code groups} claim, Quarkus's roles) allow. A grant is
 * {@code <action>:<namespace>}: {@code read:ml} (a job's definition and status), {@code submit:ml}
 * (create or change), {@code delete:ml}; {@code *} stands for every action or every namespace, so
 * {@code *:*} is an administrator. {@link #METRICS} reads the services' metrics. Nothing is allowed
 * by default: a token without a matching group is refused.
 */
public final class Grants {
    /** The group that may read {@code /q/metrics} (so may any {@code read:*}). */
    public static final String METRICS = "metrics";
    private static final String ANY = "*";

    /** What a request does to a namespace's jobs. */
    public enum Action {
        READ, SUBMIT, DELETE;

        /** The word a grant spells it with. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Grants() {
    }

    /** Whether any of {@code groups} allows {@code action} on jobs of {@code namespace}. */
    public static boolean allows(Collection<String> groups, Action action, String namespace) {
        return groups.contains(action.word() + ":" + namespace) || groups.contains(action.word() + ":" + ANY)
                || groups.contains(ANY + ":" + namespace) || groups.contains(ANY + ":" + ANY);
    }

    /**
     * Empty when allowed, else the refusal in words: which group would allow it. The subject is
     * named; the token never is.
     */
    public static Optional<String> refusal(String subject, Collection<String> groups, Action action, String namespace) {
        if (allows(groups, action, namespace)) {
            return Optional.empty();
        }
        return Optional.of("'" + subject + "' may not " + action.word() + " jobs in namespace '" + namespace
                + "' (needs group " + action.word() + ":" + namespace + ")");
    }
}

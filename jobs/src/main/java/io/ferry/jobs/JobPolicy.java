package io.ferry.jobs;

import io.ferry.schemas.job.FieldError;
import io.ferry.storage.Access;
import io.ferry.storage.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's rules for what each namespace's jobs may reach, stated in configuration as
 * {@code ferry.policy.<namespace>.<rule>} (comma-separated lists; namespace {@code "*"} for every
 * namespace without a rule of its own):
 * <ul>
 *   <li>{@code storage-roots}: URIs a side must lie within ({@code file:///data/ml/, s3://models/,
 *       oci://ns/bucket/}); none by default, so nothing outside the configured roots is reachable;</li>
 *   <li>{@code endpoint-hosts}: {@code host} (any port) or {@code host:port} a side's {@code endpoint}
 *       may name (signed requests go there); none by default;</li>
 *   <li>{@code secrets}: the named secrets a side may use; none by default;</li>
 *   <li>{@code authentication}: the modes a side may use; by default {@code none} (files),
 *       {@code secret} (named secrets) and the OCI modes that read a config file. The modes that take
 *       the service's own identity ({@code aws_default_chain}, {@code instance_principal},
 *       {@code resource_principal}, {@code workload_identity}) must be listed.</li>
 * </ul>
 * Whatever the policy, an OCI config file must lie in the secrets directory
 * ({@code ferry.storage.secrets-dir}). A job outside its namespace's policy is refused, each
 * violation naming its field.
 */
public final class JobPolicy {
    static final String ANY_NAMESPACE = "*";
    static final String STORAGE_ROOTS = "storage-roots";
    static final String ENDPOINT_HOSTS = "endpoint-hosts";
    static final String SECRETS = "secrets";
    static final String AUTHENTICATION = "authentication";
    private static final Set<String> RULES = Set.of(STORAGE_ROOTS, ENDPOINT_HOSTS, SECRETS, AUTHENTICATION);
    static final List<String> DEFAULT_AUTHENTICATION = List.of(Access.NO_AUTHENTICATION, Access.NAMED_SECRETS,
            "user_principal", "security_token");

    /** No rules at all: for a reader that never acts on a job (the verifier shows statuses). */
    public static final JobPolicy UNRESTRICTED = new JobPolicy(null, null);

    private final Map<String, String> rules;
    private final Path secretsDir;

    private JobPolicy(Map<String, String> rules, Path secretsDir) {
        this.rules = rules;
        this.secretsDir = secretsDir;
    }

    /**
     * @param policy the settings under {@code ferry.policy.}, keys {@code <namespace>.<rule>}
     * @param storage the settings under {@code ferry.storage.} (for the secrets directory)
     * @throws IllegalArgumentException naming a key that is not a rule
     */
    public static JobPolicy of(Map<String, String> policy, Map<String, String> storage) {
        for (String key : policy.keySet()) {
            int dot = key.lastIndexOf('.');
            if (dot < 1 || !RULES.contains(key.substring(dot + 1))) {
                throw new IllegalArgumentException("ferry.policy." + key + " is not a policy rule: write ferry.policy.<namespace>.<rule>,"
                        + " a rule being one of " + RULES);
            }
        }
        return new JobPolicy(Map.copyOf(policy), Path.of(storage.getOrDefault(Secrets.DIR_SETTING, Secrets.DEFAULT_DIR)));
    }

    /** Every way a side ({@code field} is {@code spec.source} or {@code spec.destination}) breaks the namespace's policy. */
    List<FieldError> violations(String namespace, String field, Access access) {
        if (rules == null) {
            return List.of();
        }
        var errors = new ArrayList<FieldError>();
        Rule roots = rule(namespace, STORAGE_ROOTS, List.of());
        if (roots.values().stream().noneMatch(root -> within(access.root(), root))) {
            errors.add(new FieldError(field + ".storageUri", "namespace '" + namespace + "' may not use " + access.root()
                    + " (" + roots.describe() + ")"));
        }
        if (access.endpointHost() != null) {
            Rule hosts = rule(namespace, ENDPOINT_HOSTS, List.of());
            String host = access.endpointHost().replaceFirst(":\\d+$", "");
            if (!hosts.values().contains(access.endpointHost()) && !hosts.values().contains(host)) {
                errors.add(new FieldError(field + ".parameters.endpoint", "namespace '" + namespace + "' may not send requests to "
                        + access.endpointHost() + " (" + hosts.describe() + ")"));
            }
        }
        Rule secrets = rule(namespace, SECRETS, List.of());
        access.secrets().stream().filter(s -> !secrets.values().contains(s)).sorted().forEach(s -> errors.add(new FieldError(
                field + ".parameters", "namespace '" + namespace + "' may not use secret '" + s + "' (" + secrets.describe() + ")")));
        Rule modes = rule(namespace, AUTHENTICATION, DEFAULT_AUTHENTICATION);
        if (!modes.values().contains(access.authentication())) {
            errors.add(new FieldError(field + ".parameters.authentication", "namespace '" + namespace + "' may not authenticate as "
                    + access.authentication() + " (" + modes.describe() + ")"));
        }
        if (access.configFile() != null && !inSecretsDir(access.configFile())) {
            errors.add(new FieldError(field + ".parameters.config_file", "must be a file in the secrets directory " + secretsDir
                    + " (ferry.storage.secrets-dir), as a mounted Secret is"));
        }
        return errors;
    }

    private record Rule(String key, List<String> values, boolean defaulted) {
        String describe() {
            String list = values.isEmpty() ? "none" : String.join(", ", values);
            return (defaulted ? "allowed by default: " : "allowed by ferry.policy." + key + ": ") + list;
        }
    }

    /** The namespace's own rule, else the rule for every namespace, else the default. */
    private Rule rule(String namespace, String name, List<String> fallback) {
        for (String ns : List.of("\"" + namespace + "\"", namespace, "\"" + ANY_NAMESPACE + "\"", ANY_NAMESPACE)) {
            String value = rules.get(ns + "." + name);
            if (value != null) {
                return new Rule(ns + "." + name, Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList(),
                        false);
            }
        }
        return new Rule(name, fallback, true);
    }

    /** Whether {@code root} (normalized, ending in '/') lies in {@code allowed}, on a path segment boundary. */
    static boolean within(String root, String allowed) {
        String prefix = allowed.endsWith("/") ? allowed : allowed + "/";
        return root.startsWith(prefix);
    }

    private boolean inSecretsDir(String configFile) {
        if (configFile.startsWith("~")) {
            return false;
        }
        Path file = Path.of(configFile).toAbsolutePath().normalize();
        Path dir = secretsDir.toAbsolutePath().normalize();
        try {
            // a mounted Secret's files are symbolic links within its directory; a link out of it is refused
            file = Files.exists(file) ? file.toRealPath() : file;
            dir = Files.exists(dir) ? dir.toRealPath() : dir;
        } catch (IOException e) {
            return false;
        }
        return file.startsWith(dir) && !file.equals(dir);
    }
}

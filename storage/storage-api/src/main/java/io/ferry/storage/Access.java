package io.ferry.storage;

import java.util.Set;

/**
 * What one side of a job reaches and on whose authority, as its backend read it: what an
 * operator's policy (which roots, endpoints, secrets and authentication modes a namespace may use)
 * is checked against.
 *
 * @param root the place as a normalized URI ending in '/': {@code file:///data/ml/},
 *     {@code s3://bucket/prefix/}, {@code oci://namespace/bucket/prefix/}; a claim or export with a
 *     {@code mount_path} is the directory it names ({@code file:///mnt/claim/sub/})
 * @param endpointHost the {@code host[:port]} of the endpoint parameter, or null for the
 *     provider's own (AWS, OCI) or none (files)
 * @param secrets the named secrets the side's credentials come from
 * @param authentication how the side authenticates: {@code none} (files), {@code secret} (named
 *     secrets), {@code aws_default_chain} (the process's AWS credentials), or an OCI mode
 *     ({@code user_principal}, {@code security_token}, {@code instance_principal}, ...)
 * @param configFile the file credentials are read from (OCI config), or null
 */
public record Access(String root, String endpointHost, Set<String> secrets, String authentication, String configFile) {
    public static final String NO_AUTHENTICATION = "none";
    public static final String NAMED_SECRETS = "secret";

    /** {@code host} or {@code host:port} of an endpoint URL, lower case, as a policy lists endpoints. */
    public static String hostOf(java.net.URI endpoint) {
        String host = endpoint.getHost().toLowerCase(java.util.Locale.ROOT);
        return endpoint.getPort() < 0 ? host : host + ":" + endpoint.getPort();
    }
}

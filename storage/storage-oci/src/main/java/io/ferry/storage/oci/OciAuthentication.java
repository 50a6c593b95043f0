package io.ferry.storage.oci;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The ways an OCI caller proves who it is, by the names jobs use for them. */
enum OciAuthentication {
    /** An API signing key named in an OCI config file (default {@code ~/.oci/config}, profile DEFAULT). */
    USER_PRINCIPAL("user_principal"),
    /** A session token from {@code oci session authenticate}, named in an OCI config file. */
    SECURITY_TOKEN("security_token"),
    /** The compute instance's own identity (OKE nodes), from the instance metadata service. */
    INSTANCE_PRINCIPAL("instance_principal"),
    /** A resource's identity (Functions, Data Science jobs, OKE pods given one), from OCI_RESOURCE_PRINCIPAL_* variables. */
    RESOURCE_PRINCIPAL("resource_principal"),
    /** OKE workload identity: the pod's Kubernetes service account exchanged for an OCI token. */
    WORKLOAD_IDENTITY("workload_identity");

    private final String parameterValue;

    OciAuthentication(String parameterValue) {
        this.parameterValue = parameterValue;
    }

    String parameterValue() {
        return parameterValue;
    }

    boolean readsConfigFile() {
        return this == USER_PRINCIPAL || this == SECURITY_TOKEN;
    }

    static OciAuthentication parse(String text) {
        String normal = text.toLowerCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values())
                .filter(a -> a.parameterValue.equals(normal) || (a == USER_PRINCIPAL && normal.equals("api_key")))
                .findFirst().orElse(null);
    }

    static List<String> names() {
        return Arrays.stream(values()).map(OciAuthentication::parameterValue).toList();
    }
}

package io.ferry.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.schemas.job.JobRefusedException;
import io.ferry.storage.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobPolicyTest {
    @TempDir
    Path secrets;

    JobKernel kernel(Map<String, String> policy) {
        return new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.of(policy, Map.of("secrets-dir", secrets.toString())));
    }

    static List<String> refusedFields(JobKernel kernel, String job) {
        try {
            kernel.read(job);
        } catch (JobRefusedException e) {
            return e.errors().stream().map(FieldError::field).toList();
        }
        throw new AssertionError("not refused: " + job);
    }

    @Test
    void shouldAllowNothingWhenNoRootsAreConfigured() {
        assertThat(refusedFields(kernel(Map.of()), """
                metadata: {name: j, namespace: ml}
                spec:
                  source: {storageUri: file:///data/ml/}
                  destination: {storageUri: file:///srv/out/}
                """)).containsExactly("spec.source.storageUri", "spec.destination.storageUri");
    }

    @Test
    void shouldKeepEachNamespaceToItsOwnRootsAndTheCommonOnes() {
        JobKernel kernel = kernel(Map.of("\"*\".storage-roots", "file:///data/shared/", "ml.storage-roots",
                "file:///data/ml/, s3://models/", "ml.authentication", "none, aws_default_chain"));
        assertThat(kernel.read("""
                metadata: {name: j, namespace: ml}
                spec:
                  source: {storageUri: file:///data/ml/llama/}
                  destination: {storageUri: s3://models/llama/, parameters: {region: eu-west-1}}
                """).key()).isEqualTo("ml/j");
        assertThat(refusedFields(kernel, """
                metadata: {name: j, namespace: ml}
                spec:
                  source: {storageUri: file:///data/mlx/}
                  destination: {storageUri: file:///data/shared/}
                """)).as("a namespace's own rule replaces the common one; roots end at a '/'").containsExactly(
                "spec.source.storageUri", "spec.destination.storageUri");
        assertThat(kernel.read("""
                metadata: {name: j, namespace: vision}
                spec:
                  source: {storageUri: file:///data/shared/a/}
                  destination: {storageUri: file:///data/shared/b/}
                """).key()).isEqualTo("vision/j");
    }

    @Test
    void shouldRefuseAPathThatClimbsOutOfItsRoot() {
        assertThatThrownBy(() -> kernel(Map.of("\"*\".storage-roots", "file:///srv/dst/")).read("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///srv/dst/a/}
                  destination: {storageUri: "file:///srv/dst/../../../etc/x/"}
                """)).isInstanceOf(InvalidJobException.class).isNotInstanceOf(JobRefusedException.class)
                .hasMessageContaining("spec.destination.storageUri").hasMessageContaining("'..'");
    }

    @Test
    void shouldRefuseEndpointsSecretsAndAmbientIdentitiesNotGranted() {
        String job = """
                metadata: {name: j, namespace: ml}
                spec:
                  source:
                    storageUri: s3://models/
                    parameters: {endpoint: "https://evil.example.com:8443", region: us-east-1,
                                 access_key_id_secret: prod-root, secret_access_key_secret: prod-root}
                  destination: {storageUri: s3://models/copy/, parameters: {region: us-east-1}}
                """;
        JobKernel strict = kernel(Map.of("ml.storage-roots", "s3://models/"));
        assertThat(refusedFields(strict, job)).containsExactly("spec.source.parameters.endpoint", "spec.source.parameters",
                "spec.destination.parameters.authentication");
        assertThatThrownBy(() -> strict.read(job)).hasMessageContaining("may not send requests to evil.example.com:8443")
                .hasMessageContaining("may not use secret 'prod-root'").hasMessageContaining("may not authenticate as aws_default_chain");

        JobKernel granted = kernel(Map.of("ml.storage-roots", "s3://models/", "ml.endpoint-hosts", "evil.example.com",
                "ml.secrets", "prod-root", "ml.authentication", "secret, aws_default_chain"));
        assertThat(granted.read(job).key()).isEqualTo("ml/j");
    }

    @Test
    void shouldTakeAnOciConfigFileOnlyFromTheSecretsDirectory() throws Exception {
        Path mounted = Files.createDirectories(secrets.resolve("oci"));
        Files.writeString(mounted.resolve("config"), "[DEFAULT]\n");
        Path outside = Files.createTempFile("config", "");
        Files.createSymbolicLink(mounted.resolve("link"), outside);
        JobKernel kernel = kernel(Map.of("\"*\".storage-roots", "oci://ns/"));
        String job = """
                metadata: {name: j}
                spec:
                  source: {storageUri: oci://ns/bucket/, parameters: {region: us-phoenix-1, config_file: "%s"}}
                  destination: {storageUri: oci://ns/other/, parameters: {region: us-phoenix-1, config_file: "%s"}}
                """;
        assertThat(kernel.read(job.formatted(mounted.resolve("config"), mounted.resolve("config"))).key()).isEqualTo("default/j");
        assertThat(refusedFields(kernel, job.formatted("/proc/self/environ", mounted.resolve("link"))))
                .containsExactly("spec.source.parameters.config_file", "spec.destination.parameters.config_file");
        assertThat(refusedFields(kernel, """
                metadata: {name: j}
                spec:
                  source: {storageUri: oci://ns/bucket/, parameters: {region: us-phoenix-1}}
                  destination: {storageUri: oci://ns/other/, parameters: {region: us-phoenix-1, authentication: instance_principal}}
                """)).as("~/.oci/config is the service's own; the instance principal too")
                .containsExactly("spec.source.parameters.config_file", "spec.destination.parameters.authentication");
        Files.delete(outside);
    }

    @Test
    void shouldNameAMisspeltRuleAtStartUp() {
        assertThatThrownBy(() -> JobPolicy.of(Map.of("ml.storage-root", "file:///x/"), Map.of()))
                .hasMessageContaining("ferry.policy.ml.storage-root is not a policy rule");
    }
}

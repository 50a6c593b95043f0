package io.ferry.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.job.FieldError;
import io.ferry.schemas.job.InvalidJobException;
import io.ferry.storage.ObjectStores;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobKernelTest {
    static final String JOB = """
            metadata: {name: j, namespace: ml}
            spec:
              source: {storageUri: "file:///data/my%20models%20%231%20(%C3%BCn%C3%AF)/"}
              destination: {storageUri: s3://bucket/prefix/, parameters: {region: eu-west-1, flavour: vanilla}}
            """;

    final JobKernel kernel = new JobKernel(ObjectStores.installed(Map.of()), JobPolicy.UNRESTRICTED);

    @Test
    void shouldResolveEachSideOnceAndReportWhatIsNotHonoured() {
        ValidatedJob job = kernel.read(JOB);
        assertThat(job.key()).isEqualTo("ml/j");
        assertThat(job.source().uri().path()).isEqualTo("/data/my models #1 (ünï)/");
        assertThat(job.destination().uri().scheme()).isEqualTo("s3");
        assertThat(job.endpoints().options().verifyAfterCopy()).isTrue();
        assertThat(job.notHonoured()).containsExactly(
                "spec.destination.parameters.flavour is not honoured by Ferry's s3:// backend");
    }

    @Test
    void shouldValidateTheSameRecordOnceAndADifferentOneAgain() {
        byte[] value = JOB.getBytes(StandardCharsets.UTF_8);
        ValidatedJob first = kernel.fromRecord("ml/j", value);
        assertThat(kernel.fromRecord("ml/j", value.clone())).isSameAs(first);
        byte[] changed = JOB.replace("eu-west-1", "eu-west-2").getBytes(StandardCharsets.UTF_8);
        assertThat(kernel.fromRecord("ml/j", changed)).isNotSameAs(first)
                .satisfies(j -> assertThat(j.endpoints().destination().parameter("region")).isEqualTo("eu-west-2"));
    }

    @Test
    void shouldRememberWhatItWroteSoReadingItBackIsFree() {
        ValidatedJob stored = kernel.read(JOB).atGeneration(3);
        byte[] value = kernel.toRecord(stored);
        assertThat(kernel.fromRecord("ml/j", value)).isSameAs(stored);
        kernel.forget("ml/j");
        assertThat(kernel.fromRecord("ml/j", value)).isNotSameAs(stored).isEqualTo(stored);
    }

    @Test
    void shouldRefuseARecordWhoseKeyIsNotTheJobs() {
        assertThatThrownBy(() -> kernel.fromRecord("other/j", JOB.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidJobException.class)
                .hasMessage("metadata: record key 'other/j' does not match namespace/name 'ml/j'");
    }

    @Test
    void shouldNameTheSideAStoreRefuses() {
        assertThatThrownBy(() -> kernel.read("""
                metadata: {name: j}
                spec:
                  source: {storageUri: gopher://host/path/}
                  destination: {storageUri: s3://bucket/, parameters: {storage_tier: PLATINUM}}
                """)).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                        .containsExactly("spec.source.storageUri", "spec.destination"));
    }

    @Test
    void shouldRefuseInlineCredentialsNamingTheFieldWithoutEchoingTheValue() {
        String secret = "wJalrXUtnFEMI-canary";
        assertThatThrownBy(() -> kernel.read("""
                metadata: {name: j}
                spec:
                  source: {storageUri: "s3://AKIDEXAMPLE:%s@bucket/"}
                  destination:
                    storageUri: s3://bucket/
                    parameters: {secret_access_key: %s, AWS_SESSION_TOKEN: %s, pass_phrase: %s,
                                 access_key_id_secret: aws, secret_access_key_secret: aws, region: eu-west-1}
                    password: %s
                """.formatted(secret, secret, secret, secret, secret))).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> {
                    assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field).containsExactlyInAnyOrder(
                            "spec.source.storageUri", "spec.destination.parameters.secret_access_key",
                            "spec.destination.parameters.AWS_SESSION_TOKEN", "spec.destination.parameters.pass_phrase",
                            "spec.destination.password");
                    assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("AKIDEXAMPLE");
                });
    }

    @Test
    void shouldRefuseAnEndpointUrlCarryingCredentialsWithoutEchoingIt() {
        String secret = "wJalrXUtnFEMI-endpoint-canary";
        assertThatThrownBy(() -> kernel.read("""
                metadata: {name: j}
                spec:
                  source: {storageUri: file:///s/}
                  destination:
                    storageUri: s3://bucket/
                    parameters: {endpoint: "http://AKIDEXAMPLE:%s@minio:9000", region: eu-west-1}
                """.formatted(secret))).isInstanceOf(InvalidJobException.class)
                .satisfies(e -> {
                    assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field)
                            .contains("spec.destination.parameters.endpoint");
                    assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("AKIDEXAMPLE");
                });
        assertThat(InlineCredentials.inUserInfo("http://minio:9000/path@x")).as("an '@' past the authority").isFalse();
        assertThat(InlineCredentials.inUserInfo("https://user@host")).isTrue();
        assertThat(InlineCredentials.inUserInfo("not a url @ all")).isFalse();
    }

    @Test
    void shouldNotEchoAMalformedUriThatMayCarryCredentials() {
        assertThatThrownBy(() -> JobKernel.checkDocument("""
                metadata: {name: j}
                spec:
                  source: {storageUri: "s3://KEY:se cret@bucket/"}
                  destination: {storageUri: file:///d/}
                """)).isInstanceOf(InvalidJobException.class)
                .hasMessageContaining("spec.source.storageUri").hasMessageNotContaining("se cret");
    }

    @Test
    void shouldCheckADocumentWithoutBackendsForAClient() {
        assertThat(JobKernel.checkDocument(JOB).key()).isEqualTo("ml/j");
        assertThatThrownBy(() -> JobKernel.checkDocument(JOB.replace("metadata: {name: j, namespace: ml}",
                "metadata: {name: j, annotations: {ome.io/max-retries: many}}")))
                .hasMessageContaining("metadata.annotations.ome.io/max-retries");
    }

    @Test
    void shouldReadTheAuditSettingsAndNameEachBadOne() {
        ValidatedJob defaults = kernel.read(JOB);
        assertThat(defaults.settings().auditInterval()).isEqualTo(JobSettings.DEFAULT_AUDIT_INTERVAL);
        assertThat(defaults.settings().auditRehashPercent()).isEqualTo(JobSettings.DEFAULT_AUDIT_REHASH_PERCENT);
        ValidatedJob set = kernel.read(JOB.replace("metadata: {name: j, namespace: ml}",
                "metadata: {name: j, namespace: ml, annotations: {ferry.io/audit-interval: 6h, ferry.io/audit-rehash-percent: 2.5%,"
                        + " ferry.io/audit-intervall: 1h}}"));
        assertThat(set.settings().auditInterval()).isEqualTo(java.time.Duration.ofHours(6));
        assertThat(set.settings().auditRehashPercent()).isEqualTo(2.5);
        assertThat(set.notHonoured()).contains("metadata.annotations.ferry.io/audit-intervall is not honoured by Ferry");
        assertThat(kernel.read(JOB.replace("metadata: {name: j, namespace: ml}",
                "metadata: {name: j, namespace: ml, annotations: {ferry.io/audit-interval: \"off\"}}")).settings().auditInterval())
                .isZero();
        assertThatThrownBy(() -> kernel.read(JOB.replace("metadata: {name: j, namespace: ml}",
                "metadata: {name: j, namespace: ml, annotations: {ferry.io/audit-interval: -1h, ferry.io/audit-rehash-percent: 101}}")))
                .isInstanceOf(InvalidJobException.class)
                .satisfies(e -> assertThat(((InvalidJobException) e).errors()).extracting(FieldError::field).containsExactly(
                        "metadata.annotations.ferry.io/audit-interval", "metadata.annotations.ferry.io/audit-rehash-percent"));
    }
}

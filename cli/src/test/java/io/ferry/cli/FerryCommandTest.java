package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.jobs.JobKernel;
import io.ferry.schemas.job.ReplicationJob;
import io.ferry.storage.StorageUri;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class FerryCommandTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cli = Ferry.commandLine();
        var out = new StringWriter();
        var err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void shouldPrintItsVersion() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).matches("ferry \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void shouldGiveHelpOnEverySubcommand() {
        for (String command : List.of("local", "submit", "status", "wait", "token", "auth-init", "sync")) {
            Run r = run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).startsWith("Usage: ferry " + command);
        }
    }

    @Test
    void shouldRefuseABadOptionInOneLineWithExitTwo() {
        Run r = run("local", "--transfers", "many");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(2).first().asString()
                .contains("--transfers").contains("'many'").doesNotContain("Exception");
        assertThat(r.err()).contains("Try 'ferry local --help'.");
    }

    @Test
    void shouldReportAFailureInOneLineWithoutAStackTrace() throws Exception {
        Path job = Files.writeString(dir.resolve("job.yaml"), """
                metadata: {name: Bad_Name}
                spec: {source: {storageUri: file:///a/}, destination: {storageUri: file:///b/}, mode: sometimes}
                """);
        // Checked before anything is sent: no scanner listens on this port.
        Run r = run("submit", job.toString(), "--scanner", "http://127.0.0.1:9");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("ferry submit: ").contains("metadata.name").doesNotContain("\tat ");

        Run missing = run("submit", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().lines()).hasSize(1).first().asString().startsWith("ferry submit: cannot read ");
    }

    @Test
    void shouldRefuseAJobNameThatIsNotNamespaceSlashNameAsAUsageError() {
        for (String command : List.of("status", "wait")) {
            Run r = run(command, "../../q/metrics");
            assertThat(r.exit()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("'../../q/metrics' is not NAMESPACE/NAME").doesNotContain("Exception")
                    .contains("Try 'ferry " + command + " --help'.");
        }
    }

    @Test
    void shouldNameAnyDirectoryInTheLocalJob() {
        Path source = dir.resolve("my models #1 (ünï) 100%");
        Path destination = dir.resolve("copy of my models");
        ReplicationJob job = JobKernel.checkDocument(Ferry.Local.job("odd", false, source, destination, 1 << 20));
        assertThat(StorageUri.parse(job.spec().source().storageUri()).path()).isEqualTo(source + "/");
        assertThat(StorageUri.parse(job.spec().destination().storageUri()).path()).isEqualTo(destination + "/");
    }

    @Test
    void shouldMakeAKeyAnAdminTokenForItsOwnerAndAMetricsOnlyTokenOthersCanRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        assertThat(run("auth-init", dir.toString()).exit()).isZero();
        String key = java.nio.file.Files.readString(dir.resolve("signing-key.pem"));
        assertThat(run("auth-init", dir.toString()).exit()).isZero();

        assertThat(java.nio.file.Files.readString(dir.resolve("signing-key.pem"))).as("the key is kept").isEqualTo(key);
        assertThat(java.nio.file.Files.readString(dir.resolve("public-key.pem"))).startsWith("-----BEGIN PUBLIC KEY-----");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(dir.resolve("token"))))
                .isEqualTo("rw-------");
        java.nio.file.Path metrics = dir.resolve("metrics-token");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(metrics)))
                .isEqualTo("rw-r--r--");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(java.nio.file.Files.readString(metrics).strip().split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"groups\":[\"metrics\"]").contains("\"sub\":\"prometheus\"");
    }
}

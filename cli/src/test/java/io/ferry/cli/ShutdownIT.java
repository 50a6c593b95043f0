package io.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.ShutdownDeadline;
import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobBuilder;
import io.ferry.storage.StorageUri;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every service exits on SIGTERM alone, with its brokers there or gone: nobody may be left to send
 * SIGKILL after it (a service orphaned by its parent, a supervisor without a grace period).
 */
class ShutdownIT {
    /** Far beyond the services' stop (a few seconds, or ferry.shutdown.timeout below): what "never" looks like. */
    static final Duration EXIT_WAIT = Duration.ofMinutes(2);
    static final String SHUTDOWN_TIMEOUT = "5s";
    static final String HALT_MESSAGE = "did not stop within";

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @RegisterExtension
    static final ClusterLogsOnFailure LOGS = new ClusterLogsOnFailure(() -> cluster);

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldExitOnSigtermWithItsBrokersThereOrGone() throws Exception {
        Path home = Path.of(System.getProperty("ferry.home", "..")).toAbsolutePath().normalize();
        cluster = LocalCluster.start(home, dir.resolve("ferry"), 2, Map.of("ferry.shutdown.timeout", SHUTDOWN_TIMEOUT,
                LocalCluster.ANY_NAMESPACE_POLICY + "storage-roots", StorageUri.directory(dir).toString()));
        // A job synced and still scanning: every service has a group, transactions and state behind it.
        Path source = dir.resolve("source");
        SampleData.generate(source, 20, 0, 0, 5);
        cluster.client().submit(JobBuilder.job("stop", "sync").mode("continuous").scanInterval("1s")
                .source(StorageUri.directory(source)).destination(StorageUri.directory(dir.resolve("destination"))).json());
        cluster.client().awaitStatus("stop/sync", s -> s.isTrue(ConditionType.InSync) && s.progress().objectsVerified() == 20,
                Duration.ofMinutes(4));

        ServiceProcess first = cluster.transfers().get(0);
        OptionalInt status = first.terminate(EXIT_WAIT);
        assertThat(status).as("%s exited on SIGTERM with its broker there", first.name()).isPresent();
        assertThat(status.getAsInt()).as("%s's exit status", first.name()).isNotEqualTo(ShutdownDeadline.HALTED);
        assertThat(Files.readString(first.log(), StandardCharsets.UTF_8)).doesNotContain(HALT_MESSAGE);

        ProcessHandle broker = ProcessHandle.of(cluster.brokerPid()).orElseThrow();
        broker.destroyForcibly();
        broker.onExit().get();
        List<String> stuck = new ArrayList<>();
        for (ServiceProcess s : cluster.services()) {
            if (s == first) {
                continue;
            }
            OptionalInt exit = s.terminate(EXIT_WAIT);
            if (exit.isEmpty()) {
                stuck.add(s.name());
            } else if (exit.getAsInt() == ShutdownDeadline.HALTED) {
                // a halted stop says where it was stuck: the next person needs that more than the exit
                System.out.println(s.name() + " halted at ferry.shutdown.timeout");
                assertThat(Files.readString(s.log(), StandardCharsets.UTF_8)).contains(HALT_MESSAGE, "at org.apache.kafka");
            }
        }
        assertThat(stuck).as("services still running %s after SIGTERM, their broker gone", EXIT_WAIT).isEmpty();
    }
}

package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.JsonSerde;
import io.ferry.schemas.Topics;
import io.ferry.schemas.events.ScanEvent;
import io.ferry.schemas.events.ScanStarted;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageUri;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobSchedulerTest {
    @TempDir
    Path source;

    @TempDir
    Path destination;

    final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
    /** The job's status as this scanner's copy of the verifier's statuses has it. */
    final AtomicReference<JobStatus> status = new AtomicReference<>();
    /** How often the scheduler has read that status. */
    final AtomicInteger statusReads = new AtomicInteger();

    final VerifiedState verified = new VerifiedState() {
        @Override
        public boolean ready() {
            return true;
        }

        @Override
        Optional<KnownObject> known(String jobKey, String objectKey) {
            return Optional.empty();
        }

        @Override
        public List<StatusPages.Stored> objectsAfter(String jobKey, String after, int limit) {
            return List.of();
        }

        @Override
        public Optional<JobStatus> job(String jobKey) {
            statusReads.incrementAndGet();
            return Optional.ofNullable(status.get());
        }
    };

    @Test
    void shouldRunAOnceJobAgainWhenARunIsAskedForWhileItsRunIsEnding() throws Exception {
        ValidatedJob job = onceJobOfOneFile();
        try (var emitter = new ChangeEmitter(() -> producer); var scheduler = scheduler(emitter, TestScannerConfig.SCANNER)) {
            scheduler.upsert(job);
            long first = awaitScansStarted(1).get(0);
            // The run has settled, but this scanner's copy of the job status does not say Completed
            // yet when `ferry sync` (seeing the verifier's own, fresher status) asks for the next run.
            status.set(status(job, JobPhase.Running, first));
            assertThat(scheduler.scanNow(job.key())).isTrue();
            status.set(status(job, JobPhase.Completed, first));
            assertThat(awaitScansStarted(2)).as("the run asked for is not lost when the first one ends").hasSize(2);
        }
    }

    @Test
    void shouldStartARunAskedForAsSoonAsTheLastOneIsSeenEndedNotAtTheNextSettlePoll() throws Exception {
        ValidatedJob job = onceJobOfOneFile();
        // a settle poll longer than the wait below: only the quicker poll of a job asked to run can start the run
        try (var emitter = new ChangeEmitter(() -> producer);
                var scheduler = scheduler(emitter, TestScannerConfig.withSettlePoll(Duration.ofHours(1)))) {
            scheduler.upsert(job);
            long first = awaitScansStarted(1).get(0);
            status.set(status(job, JobPhase.Running, first));
            int reads = statusReads.get();
            assertThat(scheduler.scanNow(job.key())).isTrue();
            // the request woke the loop, and it has seen the run still Running: now it waits to look again
            awaitStatusReadsAfter(reads);
            status.set(status(job, JobPhase.Completed, first));
            assertThat(awaitScansStarted(2)).hasSize(2);
        }
    }

    final ObjectStores stores = ObjectStores.installed(Map.of());

    /** A once job from {@link #source} to {@link #destination}, with one file to copy. */
    ValidatedJob onceJobOfOneFile() throws java.io.IOException {
        Files.writeString(source.resolve("a.txt"), "a");
        return new JobKernel(stores, JobPolicy.UNRESTRICTED).read("""
                metadata: {name: j, namespace: ml}
                spec:
                  source: {storageUri: "%s"}
                  destination: {storageUri: "%s"}
                """.formatted(StorageUri.directory(source), StorageUri.directory(destination)));
    }

    JobScheduler scheduler(ChangeEmitter emitter, ScannerConfig.Scanner config) {
        return new JobScheduler(stores, verified, emitter, config, Clock.systemUTC(), ScanMeter.of(new SimpleMeterRegistry()));
    }

    static JobStatus status(ValidatedJob job, JobPhase phase, long generation) {
        return new JobStatus(job.key(), phase, null, null, null, 0, phase.name(), List.of(), job.generation(),
                new JobProgress(1, 1, 0, 0, 1, 1, 1, generation, false, generation, null, null, null, 0, 0, 0, null));
    }

    /** Until the scheduler has read the job's status since it had read it {@code reads} times (or 30 s passed). */
    void awaitStatusReadsAfter(int reads) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (statusReads.get() <= reads && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(statusReads.get()).isGreaterThan(reads);
    }

    /** The generations of the scans started so far, once there are {@code count} (or after 30 s, what there is). */
    List<Long> awaitScansStarted(int count) throws InterruptedException {
        var scans = JsonSerde.of(ScanEvent.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Long> started = producer.history().stream().filter(r -> r.topic().equals(Topics.SCANS))
                    .map(r -> scans.deserialize(Topics.SCANS, r.value()))
                    .filter(e -> e instanceof ScanStarted).map(ScanEvent::generation).toList();
            if (started.size() >= count || System.nanoTime() > deadline) {
                return started;
            }
            Thread.sleep(20);
        }
    }
}

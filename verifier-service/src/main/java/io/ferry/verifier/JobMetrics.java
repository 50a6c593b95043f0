package io.ferry.verifier;

import io.ferry.schemas.job.ConditionType;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.jboss.logging.Logger;

/**
 * Job-level metrics from the verifier's job statuses (this instance's partitions: each job is on
 * exactly one instance, so sums over instances count each job once). One series set per job,
 * labelled {@code namespace} and {@code job_name}; never an object key. Refreshed every 10 s; a
 * deleted job's series go with it.
 */
@ApplicationScoped
public class JobMetrics {
    private static final Logger LOG = Logger.getLogger(JobMetrics.class);

    @Inject
    KafkaStreams streams;

    @Inject
    MeterRegistry registry;

    private MultiGauge phase;
    private MultiGauge startTime;
    private MultiGauge objects;
    private MultiGauge bytes;
    private MultiGauge inSync;
    private MultiGauge lastScanCompleted;
    private ScheduledExecutorService refresher;

    void start(@Observes StartupEvent event) {
        phase = gauge("replication.job.status", "1 for the job's current phase, 0 for the others (kube-state-metrics style)");
        startTime = gauge("replication.job.start.time", "When the job started, in seconds since the epoch");
        objects = gauge("replication.job.objects", "The job's objects by state: total (found by its scans), verified, failed, in_flight");
        bytes = gauge("replication.job.bytes", "The job's bytes by state: total, copied, verified");
        inSync = gauge("replication.job.in.sync", "1 when the job's InSync condition is True (continuous jobs), else 0");
        lastScanCompleted = gauge("replication.job.last.scan.completed.time",
                "When the job's last scan completed, in seconds since the epoch");
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-job-metrics");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 1, 10, TimeUnit.SECONDS);
    }

    private MultiGauge gauge(String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** Runs on the refresher's schedule, which an exception would end: none gets out. */
    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // starting, rebalancing, or a walk cut short: the rows stay until the next refresh
            LOG.debugf("job metrics not refreshed: %s", e.getMessage());
        }
    }

    /** Rebuilds every row from the job-status store; rows of jobs no longer there are removed. */
    void refresh() {
        ReadOnlyKeyValueStore<String, JobStatus> store = streams.store(StoreQueryParameters.fromNameAndType(
                JobStatusProcessor.STORE, QueryableStoreTypes.<String, JobStatus>keyValueStore()));
        List<MultiGauge.Row<?>> phases = new ArrayList<>();
        List<MultiGauge.Row<?>> starts = new ArrayList<>();
        List<MultiGauge.Row<?>> objectRows = new ArrayList<>();
        List<MultiGauge.Row<?>> byteRows = new ArrayList<>();
        List<MultiGauge.Row<?>> sync = new ArrayList<>();
        List<MultiGauge.Row<?>> scans = new ArrayList<>();
        try (KeyValueIterator<String, JobStatus> all = store.all()) {
            // a walk cut short by a rebalance throws: nothing below is registered then
            all.forEachRemaining(kv -> {
                JobStatus s = kv.value;
                if (s == null) {
                    return;
                }
                int slash = kv.key.indexOf('/');
                if (slash < 1) {
                    return;
                }
                Tags job = Tags.of("namespace", kv.key.substring(0, slash), "job_name", kv.key.substring(slash + 1));
                for (JobPhase p : JobPhase.values()) {
                    phases.add(MultiGauge.Row.of(job.and("phase", p.name()), p == s.phase() ? 1 : 0));
                }
                if (s.startTime() != null) {
                    starts.add(MultiGauge.Row.of(job, epochSeconds(s.startTime())));
                }
                JobProgress progress = s.progress() == null ? JobProgress.NONE : s.progress();
                add(objectRows, job, progress, "total", JobProgress::objectsTotal);
                add(objectRows, job, progress, "verified", JobProgress::objectsVerified);
                add(objectRows, job, progress, "failed", JobProgress::objectsFailed);
                add(objectRows, job, progress, "in_flight", JobProgress::objectsInFlight);
                add(byteRows, job, progress, "total", JobProgress::bytesTotal);
                add(byteRows, job, progress, "copied", JobProgress::bytesCopied);
                add(byteRows, job, progress, "verified", JobProgress::bytesVerified);
                sync.add(MultiGauge.Row.of(job, s.isTrue(ConditionType.InSync) ? 1 : 0));
                if (progress.lastScanCompletedAt() != null) {
                    scans.add(MultiGauge.Row.of(job, epochSeconds(progress.lastScanCompletedAt())));
                }
            });
        }
        phase.register(phases, true);
        startTime.register(starts, true);
        objects.register(objectRows, true);
        bytes.register(byteRows, true);
        inSync.register(sync, true);
        lastScanCompleted.register(scans, true);
    }

    private static void add(List<MultiGauge.Row<?>> rows, Tags job, JobProgress progress, String state,
            ToLongFunction<JobProgress> value) {
        rows.add(MultiGauge.Row.of(job.and("state", state), value.applyAsLong(progress)));
    }

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}

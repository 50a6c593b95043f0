package io.ferry.scanner;

import io.ferry.jobs.JobSettings;
import io.ferry.jobs.Schedules;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.schemas.job.JobMode;
import io.ferry.schemas.job.JobPhase;
import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the jobs this instance owns: a once job scans until its scan settles; a continuous job
 * scans again every scanInterval, never before the previous scan settled, so nothing still on
 * its way is planned twice, and has its destination audited every auditInterval, on a thread of
 * its own (one audit at a time per instance, so the pace limits hold for the instance).
 */
final class JobScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobScheduler.class);
    private static final Duration RETRY_AFTER_ERROR = Duration.ofSeconds(5);
    /** An audit that failed (destination unreachable, verified state rebalancing) is tried again this soon. */
    private static final Duration AUDIT_RETRY = Duration.ofMinutes(5);
    /** How often an object deleted at the source while its copy was on its way is looked at again. */
    static final Duration GONE_RECHECK = Duration.ofSeconds(1);
    /** The settle poll of a job while a run of it is asked for (see {@code JobLoop#settlePollNow}). */
    static final Duration REQUESTED_SETTLE_POLL = Duration.ofMillis(10);
    static final int GONE_RECHECKS = 60;

    private final ObjectStores stores;
    private final VerifiedState verified;
    private final ChangeEmitter emitter;
    private final ScannerConfig.Scanner config;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Map<String, JobLoop> loops = new ConcurrentHashMap<>();
    /** Once jobs of this instance whose run is over, kept so that a run can be asked for again. */
    private final Map<String, ValidatedJob> finished = new ConcurrentHashMap<>();
    /**
     * When each job deleted since this instance started was withdrawn (epoch ms). The scanner's copy
     * of the statuses may still hold a deleted job's Verified objects when a job of the same name
     * is scanned again; a status of a scan before the deletion is not believed.
     */
    private final Map<String, Long> withdrawnAt = new ConcurrentHashMap<>();
    private final ExecutorService audits;
    private final Set<String> auditing = ConcurrentHashMap.newKeySet();
    private final TokenBucket auditChecks;
    private final TokenBucket auditBytes;
    private final ScanMeter meter;

    JobScheduler(ObjectStores stores, VerifiedState verified, ChangeEmitter emitter, ScannerConfig.Scanner config, Clock clock,
            ScanMeter meter) {
        this.meter = meter;
        this.stores = stores;
        this.verified = verified;
        this.emitter = emitter;
        this.config = config;
        this.clock = clock;
        this.executor = Executors.newScheduledThreadPool(config.maxConcurrentScans(), r -> {
            Thread t = new Thread(r, "ferry-scan");
            t.setDaemon(true);
            return t;
        });
        this.audits = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "ferry-audit");
            t.setDaemon(true);
            return t;
        });
        this.auditChecks = rate(config.audit().checksPerSecond(), "ferry.scanner.audit.checks-per-second");
        this.auditBytes = rate(config.audit().rehashBytesPerSecond(), "ferry.scanner.audit.rehash-bytes-per-second");
    }

    /** A token bucket for a configured rate; a rate below 1 fails start-up naming its key. */
    private static TokenBucket rate(long perSecond, String key) {
        if (perSecond < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + perSecond);
        }
        return new TokenBucket(perSecond);
    }

    /** Starts or restarts a job's loop; an unchanged job (same generation) keeps its loop. */
    void upsert(ValidatedJob job) {
        finished.remove(job.key());
        JobLoop current = loops.get(job.key());
        if (current != null && current.job.generation() == job.generation() && current.job.document().equals(job.document())) {
            return;
        }
        if (current != null) {
            current.cancelled = true;
        }
        JobLoop loop = new JobLoop(job);
        loops.put(job.key(), loop);
        executor.execute(loop);
    }

    void remove(String jobKey) {
        finished.remove(jobKey);
        JobLoop loop = loops.remove(jobKey);
        if (loop != null) {
            loop.cancelled = true;
        }
    }

    /**
     * The job was deleted: stop its loop, if this instance runs one, wait until a scan it was
     * running has stopped planning, then withdraw the job: one record per partition, on which the
     * verifier aborts the open multipart uploads of the job's objects in flight (instead of leaving
     * them to cost space) and forgets every object it holds of the job, planned or verified. A job
     * created again under the same name believes nothing is there yet. Runs on the caller's thread:
     * when it returns, the withdrawal is written.
     */
    void withdraw(String jobKey) {
        finished.remove(jobKey);
        JobLoop loop = loops.remove(jobKey);
        if (loop != null) {
            loop.cancelled = true;
            // a step in progress holds the loop; it sees the cancellation within one listed object
            synchronized (loop) {
                LOG.debugf("job %s: scan loop stopped", jobKey);
            }
        }
        withdrawnAt.put(jobKey, clock.millis());
        emitter.withdraw(new ObjectChanged(jobKey, null, PlanIds.next(),
                ObjectChanged.Change.WITHDRAWN, 0, null, clock.instant(), 1, 0, 0, null, CopyPlan.singlePut(0)));
        LOG.infof("job %s deleted: withdrew its objects", jobKey);
    }

    /**
     * Plans one object again from a fresh stat (a source that changed mid-copy, or an external
     * trigger), on the caller's thread: when it returns, the plan is written.
     *
     * @throws StorageException when the source or the destination cannot be reached
     */
    void replan(ValidatedJob job, ObjectTrigger trigger) throws StorageException {
        JobSettings settings = job.settings();
        var endpoints = job.endpoints();
        try (ObjectStore source = stores.open(job.source());
                ObjectStore destination = stores.open(job.destination())) {
            Optional<ObjectInfo> now = source.stat(trigger.objectKey());
            if (now.isEmpty()) {
                emitter.emit(new ObjectChanged(job.key(), trigger.objectKey(), PlanIds.next(),
                        ObjectChanged.Change.DELETE, 0, null, clock.instant(), trigger.generation(), trigger.attempt(),
                        settings.maxRetries(), endpoints, CopyPlan.singlePut(0)));
                return;
            }
            var planner = new ChunkPlanner(job.key(), endpoints, settings,
                    trigger.generation(), 1, 1, source, destination instanceof SupportsMultipartUpload m ? m : null);
            for (PlanUnit unit : planner.add(now.get(), trigger.attempt())) {
                emitter.emit(unit);
            }
            for (PlanUnit unit : planner.flush()) {
                emitter.emit(unit);
            }
        }
    }

    /**
     * Plans, on the caller's thread, the objects of a job that a trigger names: the key, or every key
     * under the prefix (relative to the job's source), that passes the job's filters and needs a copy
     * by the test a scan applies, so an event for a version already verified or on its way copies
     * nothing. An object gone from the source that the verifier holds is reported gone, or deleted
     * at the destination under deletePolicy propagate. The plan is
     * numbered like a scan (the time in ms), so the latency histogram counts from now. No listing
     * of the job is made for a key.
     *
     * @return how many objects were planned
     * @throws StorageException when the source or the destination cannot be reached
     * @throws IllegalArgumentException when a store refuses the key (e.g. a '..' segment)
     */
    int plan(ValidatedJob job, String key, boolean prefix) throws StorageException {
        JobSettings settings = job.settings();
        var filters = new ChangeDetector(settings.include(), settings.exclude());
        String destinationIdentity = job.document().spec().destination().identity();
        long generation = clock.millis();
        long withdrawn = withdrawnAt.getOrDefault(job.key(), 0L);
        try (ObjectStore source = stores.open(job.source());
                ObjectStore destination = stores.open(job.destination())) {
            var planner = new ChunkPlanner(job.key(), job.endpoints(), settings, generation, config.batchMaxObjects(),
                    config.batchMaxBytes(), source, destination instanceof SupportsMultipartUpload m ? m : null);
            int planned = 0;
            if (prefix) {
                try (java.util.stream.Stream<ObjectInfo> listing = source.list(key)) {
                    var it = listing.iterator();
                    while (it.hasNext()) {
                        planned += planIfNeeded(job, it.next(), planner, filters, destinationIdentity, withdrawn);
                    }
                }
            } else if (filters.selected(key)) {
                Optional<ObjectInfo> now = source.stat(key);
                if (now.isPresent()) {
                    planned += planIfNeeded(job, now.get(), planner, filters, destinationIdentity, withdrawn);
                } else {
                    goneAtSource(job, key, destination, generation, withdrawn, GONE_RECHECKS);
                }
            }
            for (PlanUnit unit : planner.flush()) {
                emitter.emit(unit);
            }
            return planned;
        }
    }

    /**
     * An event said, and a stat confirmed, that the source no longer has the object. With
     * deletePolicy propagate a copy whose object is settled is deleted at the destination and the
     * object leaves the job (one store's report of one delete: the per-scan ome.io/max-delete
     * guard is for listings that look emptied). An object still on its way (or planned so recently
     * that this scanner has not seen its status yet) is looked at again every
     * {@link #GONE_RECHECK} until its copy settled, at most {@link #GONE_RECHECKS} times: a copy
     * deleted now could land after the delete. With keep the object is marked gone.
     */
    private void goneAtSource(ValidatedJob job, String key, ObjectStore destination, long generation, long withdrawn,
            int rechecksLeft) throws StorageException {
        KnownObject known = verified.known(job.key(), key).filter(s -> s.generation() >= withdrawn).orElse(null);
        if (!job.settings().propagateDeletes()) {
            if (known != null && known.state() != ObjectState.GONE) {
                emitter.emit(SourceDeletions.gone(job, key, generation, clock));
            }
        } else if (known != null && known.state().isFinal()) {
            destination.delete(key);
            emitter.emit(SourceDeletions.removed(job, key, generation, clock));
        } else if (rechecksLeft > 0) {
            executor.schedule(() -> recheckGone(job, key, generation, withdrawn, rechecksLeft - 1),
                    GONE_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.infof("job %s: %s is gone at the source but its copy has not settled; the next scan deletes it", job.key(), key);
        }
    }

    private void recheckGone(ValidatedJob job, String key, long generation, long withdrawn, int rechecksLeft) {
        JobLoop loop = loops.get(job.key());
        if (loop == null || !loop.job.document().equals(job.document())) {
            return; // the job was deleted or changed since the event
        }
        try (ObjectStore source = stores.open(job.source());
                ObjectStore destination = stores.open(job.destination())) {
            if (source.stat(key).isEmpty()) {
                goneAtSource(job, key, destination, generation, withdrawn, rechecksLeft);
            }
        } catch (StorageException | RuntimeException e) {
            LOG.warnf("job %s: could not check whether %s is still gone (%s); the next scan does", job.key(), key, e.getMessage());
        }
    }

    private int planIfNeeded(ValidatedJob job, ObjectInfo entry, ChunkPlanner planner, ChangeDetector filters,
            String destinationIdentity, long withdrawn) throws StorageException {
        if (!filters.selected(entry.key())) {
            return 0;
        }
        var known = verified.known(job.key(), entry.key()).filter(s -> s.generation() >= withdrawn).orElse(null);
        if (!ChangeDetector.needsCopy(entry, known, destinationIdentity, null)) {
            return 0;
        }
        for (PlanUnit unit : planner.add(entry, 0)) {
            emitter.emit(unit);
        }
        return 1;
    }

    /**
     * Starts a run of the job now: a continuous job scans now instead of at its next interval (a
     * scan in progress finishes first); a once job whose run is over runs again (a new scan, then
     * Completed again). False when this instance runs no loop for the job and holds no finished one:
     * another scanner instance runs it.
     */
    boolean scanNow(String jobKey) {
        JobLoop loop = loops.get(jobKey);
        if (loop != null && loop.wake()) {
            return true;
        }
        // no loop, or one that has just ended its run: the run asked for starts afresh
        ValidatedJob done = finished.remove(jobKey);
        if (done == null) {
            return false;
        }
        JobLoop again = new JobLoop(done);
        again.rerun = true;
        if (loops.putIfAbsent(jobKey, again) == null) {
            executor.execute(again);
        }
        return true;
    }

    private final class JobLoop implements Runnable {
        final ValidatedJob job;
        final JobSettings settings;
        volatile boolean cancelled;
        long generation;
        long awaiting;
        Instant lastScanStart;
        long lastMovement = -1;
        Instant lastMovedAt;
        Instant stuckBefore;
        /** Set by the loop when it starts an audit, and by the audit thread when one fails. */
        volatile Instant auditRequestedAt;
        boolean first = true;
        /** A scan was asked for now (scanNow); guarded by {@link #timer}. */
        boolean requested;
        /** A once job run again on request: its earlier run's completion does not end this one before it scans. */
        boolean rerun;
        /** The once job's run is over and the loop gone from {@link #loops}; guarded by {@link #timer}. */
        boolean ended;
        /** A scheduled job's next run, once computed. */
        Instant scheduledFor;
        private final Object timer = new Object();
        private java.util.concurrent.ScheduledFuture<?> next;

        JobLoop(ValidatedJob job) {
            this.job = job;
            this.settings = job.settings();
        }

        /** Synchronized: a deletion waits on the loop until a step in progress has stopped planning. */
        @Override
        public synchronized void run() {
            if (cancelled) {
                return;
            }
            try {
                step();
            } catch (Exception e) {
                LOG.errorf(e, "job %s: scan loop error, retrying in %s", job.key(), RETRY_AFTER_ERROR);
                later(RETRY_AFTER_ERROR);
            }
        }

        private void step() {
            if (settings.suspended()) {
                return;
            }
            if (!verified.ready()) {
                later(Duration.ofMillis(500));
                return;
            }
            Optional<JobStatus> status = verified.job(job.key());
            if (first) {
                first = false;
                if (settings.mode() == JobMode.ONCE && !rerun && status.filter(this::finishedThisGeneration).isPresent()
                        && finishUnlessRequested()) {
                    LOG.infof("job %s generation %d already finished; not scanning again", job.key(), job.generation());
                    return;
                }
                generation = status.map(s -> s.progress() == null ? 0 : s.progress().scanGeneration()).orElse(0L);
            }
            if (awaiting > 0) {
                JobProgress progress = status.map(JobStatus::progress).orElse(JobProgress.NONE);
                boolean settled = progress.settledGeneration() >= awaiting;
                boolean onItsWay = !settled || progress.objectsInFlight() > 0;
                if (onItsWay && stuck(progress)) {
                    LOG.warnf("job %s: objects in flight and nothing moved for %s; scanning again to plan what is stuck",
                            job.key(), config.inFlightTimeout());
                    stuckBefore = clock.instant().minus(config.inFlightTimeout());
                    lastMovement = -1;
                } else if (!settled || settings.mode() == JobMode.ONCE && status.filter(this::finishedThisGeneration).isEmpty()) {
                    // a once job is done when it is Completed or Failed, not merely when its last scan settled:
                    // objects of an earlier scan may still be on their way
                    later(settlePollNow());
                    return;
                } else if (settings.mode() == JobMode.ONCE) {
                    if (finishUnlessRequested()) {
                        return;
                    }
                    // a run was asked for while this one was ending (ferry sync right after
                    // Completed, seen here before the scanner's copy of the status said so): it starts now
                    awaiting = 0;
                } else if (settings.mode() == JobMode.SCHEDULED) {
                    awaiting = 0; // a run is over: the next waits for its time below
                } else {
                    awaiting = 0;
                    auditIfDue(status.orElse(null));
                    Duration wait = Duration.between(clock.instant(), lastScanStart.plus(settings.scanInterval()));
                    if (!wait.isNegative() && !wait.isZero() && untilIntervalOrWoken(wait)) {
                        return;
                    }
                }
            }
            if (settings.mode() == JobMode.SCHEDULED && awaiting == 0) {
                // the next time the schedule names after the last run (after now on a first step: runs
                // missed while no scanner ran are not made up, as a CronJob without a deadline)
                if (scheduledFor == null) {
                    scheduledFor = Schedules.next(settings.schedule(), lastScanStart != null ? lastScanStart : clock.instant());
                }
                Duration wait = Duration.between(clock.instant(), scheduledFor);
                if (!wait.isNegative() && !wait.isZero() && untilIntervalOrWoken(wait)) {
                    return;
                }
                scheduledFor = null;
            }
            // Scan numbers are start times in ms (kept increasing): a job deleted and submitted again
            // never reuses the number of a scan whose objects are still in the verifier's tally.
            synchronized (timer) {
                requested = false;
            }
            generation = Math.max(generation + 1, clock.millis());
            lastScanStart = clock.instant();
            new ScanPass(job, generation, stores, verified, emitter, config, clock, stuckBefore, () -> cancelled, meter,
                    withdrawnAt.getOrDefault(job.key(), 0L)).run();
            stuckBefore = null;
            awaiting = generation;
            later(settlePollNow());
        }

        /**
         * Starts an audit of the destination when one is due: an auditInterval after the last one
         * completed (as the job's status says, so a restart does not reset the clock), or after the
         * job started when none has.
         */
        private void auditIfDue(JobStatus status) {
            Duration interval = settings.auditInterval();
            if (interval.isZero() || status == null || auditing.contains(job.key())) {
                return;
            }
            Instant last = status.progress() == null ? null : status.progress().lastAuditCompletedAt();
            last = last == null ? status.startTime() : last;
            if (auditRequestedAt != null && (last == null || auditRequestedAt.isAfter(last))) {
                last = auditRequestedAt;
            }
            if (last == null || clock.instant().isBefore(last.plus(interval))) {
                return;
            }
            auditRequestedAt = clock.instant();
            auditing.add(job.key());
            long repairGeneration = generation;
            audits.execute(() -> {
                try (ObjectStore destination = stores.open(job.destination())) {
                    new DestinationAudit(job, repairGeneration, verified::objectsAfter, JobScheduler.this::replan,
                            auditChecks, auditBytes, () -> ThreadLocalRandom.current().nextDouble(100), clock)
                            .run(destination, () -> cancelled)
                            .ifPresent(emitter::emit);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    Duration retry = interval.compareTo(AUDIT_RETRY) < 0 ? interval : AUDIT_RETRY;
                    // due again after `retry` rather than a whole interval: a failure is not an audit
                    auditRequestedAt = clock.instant().minus(interval).plus(retry);
                    LOG.warnf("audit of %s's destination stopped: %s; trying again in %s", job.key(), e.getMessage(), retry);
                } finally {
                    auditing.remove(job.key());
                }
            });
        }

        /** Whether nothing of the job has moved (objects finished, bytes copied) for the in-flight timeout. */
        private boolean stuck(JobProgress progress) {
            long movement = progress == null ? 0
                    : progress.objectsVerified() + progress.objectsFailed() + progress.bytesCopied() + progress.objectsTotal();
            Instant now = clock.instant();
            if (movement != lastMovement || lastMovedAt == null) {
                lastMovement = movement;
                lastMovedAt = now;
                return false;
            }
            return Duration.between(lastMovedAt, now).compareTo(config.inFlightTimeout()) > 0;
        }

        /** A once job's run is over: the loop ends, and the job is kept in case a run is asked for again. */
        /**
         * Ends a once job's loop, keeping the job for a run asked for later, unless a run was asked
         * for meanwhile: then false, and the loop goes on to it. Under the lock {@link #wake} takes,
         * so a request is either seen here or refused there (and scanNow starts a new loop).
         */
        private boolean finishUnlessRequested() {
            synchronized (timer) {
                if (requested) {
                    return false;
                }
                ended = true;
                if (loops.remove(job.key(), this) && !cancelled) {
                    finished.put(job.key(), job);
                }
                return true;
            }
        }

        private boolean finishedThisGeneration(JobStatus s) {
            return (s.phase() == JobPhase.Completed || s.phase() == JobPhase.Failed)
                    && s.observedGeneration() == job.generation();
        }

        /**
         * How soon to look again whether the last run has ended: sooner while a run is asked for,
         * since whoever asked is waiting for it (`ferry sync` right after Completed), and the look
         * is one read of this scanner's copy of the job's status.
         */
        private Duration settlePollNow() {
            synchronized (timer) {
                return requested && REQUESTED_SETTLE_POLL.compareTo(config.settlePoll()) < 0 ? REQUESTED_SETTLE_POLL
                        : config.settlePoll();
            }
        }

        private void later(Duration delay) {
            synchronized (timer) {
                if (!cancelled) {
                    next = executor.schedule(this, delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        }

        /**
         * Waits out the scan interval, unless a scan was asked for: then the caller scans now
         * (false). Under the same lock as {@link #wake}, so a request is never lost between them.
         */
        private boolean untilIntervalOrWoken(Duration wait) {
            synchronized (timer) {
                if (requested) {
                    return false;
                }
                later(wait);
                return true;
            }
        }

        /**
         * Runs the loop now if it is waiting; a step running now sees the request when it ends.
         * False when the loop has ended its run: the caller starts a new one.
         */
        boolean wake() {
            synchronized (timer) {
                if (ended) {
                    return false;
                }
                requested = true;
                if (next != null && next.cancel(false)) {
                    later(Duration.ZERO);
                }
                return true;
            }
        }
    }

    @Override
    public void close() {
        loops.values().forEach(l -> l.cancelled = true);
        executor.shutdownNow();
        audits.shutdownNow();
    }
}

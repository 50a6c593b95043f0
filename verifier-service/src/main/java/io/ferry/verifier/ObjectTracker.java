package io.ferry.verifier;


import io.ferry.checksum.Checksum;
import io.ferry.schemas.Keys;
import io.ferry.schemas.events.AbortUpload;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkFailed;
import io.ferry.schemas.events.BatchResults;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.schemas.events.ObjectResult;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows each object from its plan to Verified (see verifier-service/DESIGN.md). Inputs, keyed
 * {@code job|objectKey}: ObjectChanged (a new plan) and the workers' ChunkResults (a
 * BatchResults, keyed by its first object, is taken as its objects' results one by one). Outputs:
 * ObjectStatus on every change, a CommitObject once every chunk of a multipart plan is
 * confirmed, an ObjectTrigger to re-plan a source that changed mid-copy, an AbortUpload for
 * a multipart plan that will never be committed, and every {@link #TALLY_EVERY} each job's
 * {@link JobTally} change (keyed by the job) from the statuses this task wrote. An object is
 * Verified only when the checksums read back from the destination equal those taken while copying.
 */
final class ObjectTracker implements Processor<String, Object, String, Object> {
    static final String STORE = "object-progress";
    /** Per job, how this task's objects changed the job's tally since it last sent the change on. */
    static final String TALLY_CHANGES = "job-tally-changes";
    /**
     * How often each task sends its jobs' tally changes on. Every object's status going to its job's
     * one partition would make that partition the bound of a large job; this way a job's tally is
     * updated by each task a few times a second, whatever the number of objects. Nothing sent is
     * seen before the task commits (every 200 ms), so a longer wait saves little: it is the wait
     * between a job's last object verified and its Completed (at 500 ms it was most of a small
     * re-sync's time).
     */
    static final Duration TALLY_EVERY = Duration.ofMillis(100);
    /**
     * How long the input must have been still for a tally change sent to be committed at once. A
     * change crosses the repartition topic only when this task commits, and the job's Completed
     * waits on the last one: at the commit interval, up to 200 ms of a small re-sync's time. While
     * results keep coming, records arrive every few milliseconds and their changes are committed
     * with them, at the interval; no extra transaction is asked for.
     */
    static final Duration QUIET = Duration.ofMillis(50);
    static final int FORGET_PAGE = 100;

    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, ObjectProgress> store;
    private KeyValueStore<String, JobTally> tallyChanges;
    /**
     * The jobs with a change in {@link #tallyChanges}: sending looks each up instead of iterating
     * the store, whose RocksDB holds a tombstone for every change already sent. Read from the store
     * when the task starts, so changes committed but not yet sent before a restart are sent.
     */
    private final Set<String> changedJobs = new HashSet<>();
    /** When this task last took a record (wall clock, ms). */
    private long lastRecordAt;
    /** Whether a tally change was sent since this task last asked for a commit. */
    private boolean sentSinceCommitAsked;

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.tallyChanges = context.getStateStore(TALLY_CHANGES);
        // the store is the truth when the task (re)starts: what was sent in a transaction that was
        // then aborted is in it again
        changedJobs.clear();
        sentSinceCommitAsked = false;
        try (KeyValueIterator<String, JobTally> it = tallyChanges.all()) {
            it.forEachRemaining(change -> changedJobs.add(change.key));
        }
        context.schedule(TALLY_EVERY, PunctuationType.WALL_CLOCK_TIME, this::sendTallyChanges);
    }

    /** Sends each job's tally change (keyed by the job) and forgets it, in the task's transaction. */
    private void sendTallyChanges(long timestamp) {
        for (String job : changedJobs) {
            JobTally change = tallyChanges.get(job);
            if (change != null) {
                context.forward(new Record<>(job, (Object) change, timestamp));
                tallyChanges.delete(job);
                sentSinceCommitAsked = true;
            }
        }
        changedJobs.clear();
        if (sentSinceCommitAsked && timestamp - lastRecordAt >= QUIET.toMillis()) {
            context.commit();
            sentSinceCommitAsked = false;
        }
    }

    /** The object's status in the job's tally goes from {@code before} to {@code after} (either may be null). */
    private void count(String job, JobTally.Entry before, JobTally.Entry after) {
        if (before == null && after == null) {
            return;
        }
        JobTally change = tallyChanges.get(job);
        change = change == null ? JobTally.empty() : change;
        if (before != null) {
            change = change.subtract(before);
        }
        if (after != null) {
            change = change.add(after);
        }
        tallyChanges.put(job, change);
        changedJobs.add(job);
    }

    @Override
    public void process(Record<String, Object> record) {
        lastRecordAt = context.currentSystemTimeMs();
        if (record.key() == null || record.value() == null) {
            return;
        }
        if (record.value() instanceof ObjectChanged change && change.change() == ObjectChanged.Change.WITHDRAWN) {
            forgetJob(change.job(), record);
            return;
        }
        if (record.value() instanceof BatchResults batch) {
            // the worker put together only objects of this partition: each is taken as if it came alone
            for (ObjectResult result : batch.objectResults()) {
                process(record.withKey(result.recordKey()).withValue(result));
            }
            return;
        }
        if (record.value() instanceof ObjectChanged change && change.change() == ObjectChanged.Change.REMOVED) {
            forget(record.key(), store.get(record.key()), record);
            return;
        }
        ObjectProgress current = store.get(record.key());
        ObjectProgress next;
        if (record.value() instanceof ObjectChanged change) {
            next = onPlan(current, change, record);
        } else if (record.value() instanceof ObjectResult result) {
            next = onResult(current, result, record);
        } else {
            return;
        }
        if (next != null && next != current) {
            if (changedVisibly(current, next)) {
                long at = next.nextStatusAt(record.timestamp());
                ObjectStatus status = next.status(Instant.ofEpochMilli(at));
                JobTally.Entry counted = JobTally.Entry.of(status);
                count(status.job(), ObjectProgress.countedOrLegacy(current), counted);
                next = next.withStatus(counted, at);
                store.put(record.key(), next);
                context.forward(record.withValue((Object) status).withTimestamp(at));
            } else {
                store.put(record.key(), next);
            }
        }
    }

    /**
     * Whether the change is worth an ObjectStatus. A single-put object's step from copied to
     * read back is not: both results arrive in one transaction, and every status costs a table
     * update and a regroup downstream.
     */
    private static boolean changedVisibly(ObjectProgress current, ObjectProgress next) {
        if (next.plan() == null) {
            return false;
        }
        if (current == null || current.plan() == null || !next.plan().planId().equals(current.plan().planId())) {
            return true;
        }
        if (next.state() == ObjectState.COMMITTING && next.plan().plan().strategy() == CopyPlan.Strategy.SINGLE_PUT) {
            return false;
        }
        return next.state() != current.state() || next.chunksCopied() != current.chunksCopied();
    }

    private ObjectProgress onPlan(ObjectProgress current, ObjectChanged change, Record<String, Object> record) {
        if (current != null && current.plan() != null && current.plan().planId().equals(change.planId())) {
            return current;
        }
        if (current != null && current.plan() != null && !current.state().isFinal()) {
            abortUpload(current, record);
        }
        if (change.change() != ObjectChanged.Change.UPSERT) {
            ObjectChanged previous = current == null ? null : current.plan();
            ObjectChanged gone = new ObjectChanged(change.job(), change.objectKey(), change.planId(), change.change(),
                    previous == null ? 0 : previous.size(), change.version(), change.modified(), change.generation(),
                    change.attempt(), change.maxRetries(), change.endpoints(), CopyPlan.singlePut(0));
            return ObjectProgress.planned(gone, current).with(ObjectState.GONE, "SourceGone",
                    "source object was deleted before it was copied");
        }
        ObjectProgress next = ObjectProgress.planned(change, current);
        for (ObjectResult r : next.early()) {
            if (r.planId().equals(change.planId())) {
                next = apply(next, r, record);
            }
        }
        return next.withoutEarlyOf(change.planId());
    }

    /**
     * The job was deleted: for every object of it this task holds (this partition's share), abort
     * what is in flight and delete its progress and status. Keys are taken a page at a time, so a
     * job of millions of objects is never held in heap, and deleted after each page is read.
     */
    private void forgetJob(String job, Record<String, Object> record) {
        String from = Keys.objectPrefix(job);
        // keys are job|objectKey; '}' sorts right after '|'
        String to = job + "}";
        List<KeyValue<String, ObjectProgress>> page = new ArrayList<>(FORGET_PAGE);
        while (true) {
            page.clear();
            try (KeyValueIterator<String, ObjectProgress> it = store.range(from, to)) {
                while (it.hasNext() && page.size() < FORGET_PAGE) {
                    page.add(it.next());
                }
            }
            for (KeyValue<String, ObjectProgress> kv : page) {
                forget(kv.key, kv.value, record);
            }
            if (page.size() < FORGET_PAGE) {
                return;
            }
        }
    }

    /** The object leaves its job: what is in flight is aborted, its progress and status deleted. */
    private void forget(String key, ObjectProgress p, Record<String, Object> record) {
        if (p != null && p.plan() != null && !p.state().isFinal()) {
            abortUpload(p, record.withKey(key));
        }
        if (p != null) {
            if (p.plan() != null) {
                count(p.plan().job(), ObjectProgress.countedOrLegacy(p), null);
            }
            store.delete(key);
        }
        context.forward(record.withKey(key).withValue(null));
    }

    private ObjectProgress onResult(ObjectProgress current, ObjectResult result, Record<String, Object> record) {
        if (current == null) {
            return ObjectProgress.NOTHING.withEarly(result);
        }
        if (current.plan() == null || !current.plan().planId().equals(result.planId())) {
            // A late result of a plan replaced since is worth nothing; otherwise its plan is still to come.
            return current.isSuperseded(result.planId()) ? current : current.withEarly(result);
        }
        if (current.state().isFinal() || current.awaitingReplan()) {
            return current;
        }
        return apply(current, result, record);
    }

    private ObjectProgress apply(ObjectProgress p, ObjectResult result, Record<String, Object> record) {
        if (result instanceof ChunkCopied copied) {
            return onCopied(p, copied, record);
        }
        if (result instanceof ChunkFailed failed) {
            return onFailed(p, failed, record);
        }
        ObjectCommitted committed = (ObjectCommitted) result;
        if (committed.sent() != null && p.plan().plan().strategy() == CopyPlan.Strategy.SINGLE_PUT) {
            // a whole put reports what it sent in the same record as what it read back
            p = onCopied(p, new ChunkCopied(committed.job(), committed.objectKey(), committed.planId(), committed.version(), 0, 0,
                    p.plan().size(), committed.sent(), committed.worker()), record);
        }
        return onCommitted(p, committed);
    }

    private ObjectProgress onCopied(ObjectProgress p, ChunkCopied copied, Record<String, Object> record) {
        int i = copied.chunkIndex();
        if (i < 0 || i >= p.chunks().size() || p.chunks().get(i) != null) {
            return p;
        }
        List<Checksum> chunks = new ArrayList<>(p.chunks());
        chunks.set(i, copied.checksum());
        ObjectProgress next = new ObjectProgress(p.plan(), ObjectState.COPYING, chunks, p.bytesCopied() + copied.length(),
                null, null, null, p.early(), p.superseded(), p.counted(), p.statusAt());
        if (!next.allChunksCopied()) {
            return next;
        }
        CopyPlan plan = p.plan().plan();
        if (plan.strategy() == CopyPlan.Strategy.MULTIPART) {
            ObjectChanged c = p.plan();
            CommitObject commit = new CommitObject(c.job(), c.endpoints(), c.objectKey(), c.planId(), c.version(), c.size(),
                    plan.uploadId(), plan.chunkSize(), plan.chunkCount(), next.chunks());
            context.forward(record.withKey(commit.taskKey()).withValue((Object) commit));
        }
        return next.with(ObjectState.COMMITTING, null, null);
    }

    private ObjectProgress onFailed(ObjectProgress p, ChunkFailed failed, Record<String, Object> record) {
        ObjectChanged plan = p.plan();
        switch (failed.reason()) {
            case SOURCE_CHANGED -> {
                abortUpload(p, record);
                if (plan.attempt() < plan.maxRetries()) {
                    var trigger = new ObjectTrigger(plan.job(), plan.objectKey(), plan.generation(), plan.attempt() + 1,
                            "source changed during copy");
                    context.forward(record.withValue((Object) trigger));
                    // Not final: the re-plan (same generation) takes over this object.
                    return p.with(ObjectState.PENDING, "SourceChanged",
                            "source changed during copy; re-planning (attempt " + (plan.attempt() + 1) + " of " + plan.maxRetries() + ")");
                }
                return p.with(ObjectState.FAILED, "SourceChanged",
                        "source kept changing during copy; gave up after " + (plan.attempt() + 1) + " attempts");
            }
            case SOURCE_GONE -> {
                abortUpload(p, record);
                return p.with(ObjectState.GONE, "SourceGone", "source object was deleted before it was copied");
            }
            default -> {
                abortUpload(p, record);
                return p.with(ObjectState.FAILED, camel(failed.reason().name()), failed.message());
            }
        }
    }

    private ObjectProgress onCommitted(ObjectProgress p, ObjectCommitted committed) {
        if (!p.allChunksCopied()) {
            return p.with(ObjectState.FAILED, "ChecksumMissing", "committed before every chunk was confirmed");
        }
        List<Checksum> read = committed.destinationChunks();
        if (read == null || read.size() != p.chunks().size()) {
            return p.with(ObjectState.FAILED, "ChecksumMismatch", "destination read back " + (read == null ? 0 : read.size())
                    + " chunks, expected " + p.chunks().size());
        }
        for (int i = 0; i < read.size(); i++) {
            if (!read.get(i).equals(p.chunks().get(i))) {
                return p.with(ObjectState.FAILED, "ChecksumMismatch", "chunk " + i + ": copied " + p.chunks().get(i).value()
                        + " but destination has " + read.get(i).value());
            }
        }
        return new ObjectProgress(p.plan(), ObjectState.VERIFIED, p.chunks(), p.plan().size(), Checksum.treeHash(p.chunks()),
                null, "checksums validated", p.early(), p.superseded(), p.counted(), p.statusAt());
    }

    private void abortUpload(ObjectProgress p, Record<String, Object> record) {
        ObjectChanged c = p.plan();
        if (c.plan().strategy() == CopyPlan.Strategy.MULTIPART && c.plan().uploadId() != null) {
            AbortUpload abort = new AbortUpload(c.job(), c.endpoints(), c.objectKey(), c.planId(), c.plan().uploadId());
            context.forward(record.withKey(abort.taskKey()).withValue((Object) abort));
        }
    }

    /** SOURCE_UNREADABLE → SourceUnreadable: condition reasons are one CamelCase word. */
    static String camel(String enumName) {
        StringBuilder sb = new StringBuilder();
        for (String part : enumName.toLowerCase().split("_")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

}

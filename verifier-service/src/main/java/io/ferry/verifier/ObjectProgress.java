package io.ferry.verifier;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.events.ObjectResult;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The verifier's record of one object (store {@code object-progress}): the current plan, the
 * SHA-256 of each confirmed chunk, and results that arrived before their plan did.
 *
 * @param plan the current plan, null while only early results are known
 * @param chunks one slot per chunk, null until confirmed
 * @param early results of plans not known yet (processed when their plan arrives), at most {@link #MAX_EARLY}
 * @param superseded the ids of the plans this one replaced, newest last, at most {@link #MAX_SUPERSEDED}:
 *     their late results are dropped instead of kept as early ones
 * @param counted what the job's tally holds for this object (from its last status), which the next
 *     status replaces there; null when nothing is counted, and in progress written by a verifier
 *     before tallies were kept this way (see {@link #countedOrLegacy})
 * @param statusAt the time (epoch ms) of the last status written for the object, 0 when none (or
 *     written by a verifier that did not keep it): the next is never stamped earlier
 */
record ObjectProgress(
        ObjectChanged plan,
        ObjectState state,
        List<Checksum> chunks,
        long bytesCopied,
        Checksum treeHash,
        String failure,
        String message,
        List<ObjectResult> early,
        List<String> superseded,
        JobTally.Entry counted,
        long statusAt) {
    /** Every result of the largest plan (10,000 chunks and the commit): more can only be junk or lost plans. */
    static final int MAX_EARLY = 10_001;
    static final int MAX_SUPERSEDED = 8;
    /** How far apart two workers' results of one object can land in the other order: producer batching and retries. */
    static final long MAX_REORDER_MS = 60_000;

    ObjectProgress {
        early = early == null ? List.of() : early;
        superseded = superseded == null ? List.of() : superseded;
    }

    /** Nothing known yet: no plan, no result. */
    static final ObjectProgress NOTHING = new ObjectProgress(null, null, List.of(), 0, null, null, null, List.of(), List.of(), null, 0);

    /** A new plan replaces this one: its early results stay, the replaced plan's id is remembered. */
    static ObjectProgress planned(ObjectChanged plan, ObjectProgress replaced) {
        List<ObjectResult> early = replaced == null ? List.of() : replaced.early();
        List<String> superseded = replaced == null ? List.of() : replaced.superseded();
        if (replaced != null && replaced.plan() != null) {
            superseded = bounded(superseded, replaced.plan().planId(), MAX_SUPERSEDED);
        }
        return new ObjectProgress(plan, ObjectState.PENDING,
                new ArrayList<>(Collections.nCopies(plan.plan().chunkCount(), null)), 0, null, null, null, early, superseded,
                countedOrLegacy(replaced), replaced == null ? 0 : replaced.statusAt());
    }

    /** This progress with one more result of a plan not known yet, the oldest dropped past {@link #MAX_EARLY}. */
    ObjectProgress withEarly(ObjectResult result) {
        return new ObjectProgress(plan, state, chunks, bytesCopied, treeHash, failure, message,
                bounded(early, result, MAX_EARLY), superseded, counted, statusAt);
    }

    /** This progress without the early results of its own plan, once they are applied. */
    ObjectProgress withoutEarlyOf(String planId) {
        List<ObjectResult> rest = early.stream().filter(r -> !r.planId().equals(planId)).toList();
        return rest.size() == early.size() ? this
                : new ObjectProgress(plan, state, chunks, bytesCopied, treeHash, failure, message, rest, superseded, counted, statusAt);
    }

    boolean isSuperseded(String planId) {
        return superseded.contains(planId);
    }

    private static <T> List<T> bounded(List<T> list, T added, int max) {
        List<T> next = new ArrayList<>(list.size() + 1);
        next.addAll(list.size() >= max ? list.subList(list.size() - max + 1, list.size()) : list);
        next.add(added);
        return next;
    }

    /** The plan was abandoned because its source changed; only the re-plan's results count now. */
    boolean awaitingReplan() {
        return state == ObjectState.PENDING && "SourceChanged".equals(failure);
    }

    int chunksCopied() {
        return (int) chunks.stream().filter(c -> c != null).count();
    }

    boolean allChunksCopied() {
        return !chunks.isEmpty() && chunks.stream().allMatch(c -> c != null);
    }

    ObjectProgress with(ObjectState newState, String newFailure, String newMessage) {
        return new ObjectProgress(plan, newState, chunks, bytesCopied, treeHash, newFailure, newMessage, early, superseded, counted, statusAt);
    }

    /** This progress, its status counted in the job's tally as {@code entry}. */
    ObjectProgress withCounted(JobTally.Entry entry) {
        return new ObjectProgress(plan, state, chunks, bytesCopied, treeHash, failure, message, early, superseded, entry, statusAt);
    }

    /** This progress after a status written at {@code at}, counted in the job's tally as {@code entry}. */
    ObjectProgress withStatus(JobTally.Entry entry, long at) {
        return new ObjectProgress(plan, state, chunks, bytesCopied, treeHash, failure, message, early, superseded, entry, at);
    }

    /**
     * When the next status is stamped: the record's time, or the last status's when that is later
     * by at most {@link #MAX_REORDER_MS}. Results of one object come from several workers, and the
     * broker appends them in the order they arrive, not in the order their producers stamped them;
     * a status stamped earlier than the one before it would say it was updated before it was, and
     * makes every table read from the status topic log an out-of-order update. A last stamp further
     * ahead is no reordering but a wrong clock or a forged record time: carried on, it would date
     * every later status of the object in the future.
     */
    long nextStatusAt(long recordTimestamp) {
        return statusAt - recordTimestamp <= MAX_REORDER_MS ? Math.max(recordTimestamp, statusAt) : recordTimestamp;
    }

    /**
     * What the job's tally holds for the object whose progress this is ({@code p} may be null).
     * Progress from a verifier that tallied statuses as they were read back from the status topic
     * has no {@code counted}; its last status was counted there, and is what it says now (a
     * single put between copied and read back, never shown, is the one moment it is not).
     */
    static JobTally.Entry countedOrLegacy(ObjectProgress p) {
        if (p == null) {
            return null;
        }
        return p.counted() != null || p.plan() == null ? p.counted() : JobTally.Entry.of(p.status(Instant.EPOCH));
    }

    /**
     * The status last written for the object, as {@code GET .../objects} shows it; null while no
     * plan is known (nothing was written). Its state is the progress's own: a single put's step
     * from copied to read back, the one change that writes no status, never outlives the result
     * that makes it. Progress from a verifier that did not keep {@link #statusAt} has no time.
     */
    ObjectStatus lastStatus() {
        return plan == null ? null : status(statusAt == 0 ? null : Instant.ofEpochMilli(statusAt));
    }

    ObjectStatus status(Instant at) {
        return new ObjectStatus(plan.job(), plan.objectKey(), plan.planId(), state, plan.version(), plan.size(),
                plan.generation(), plan.attempt(), chunks.size(), plan.plan().chunkSize(), chunksCopied(),
                state == ObjectState.VERIFIED ? plan.size() : bytesCopied, treeHash, failure, message, at,
                plan.endpoints() == null ? null : plan.endpoints().destination().identity());
    }
}

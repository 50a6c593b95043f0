package io.ferry.verifier;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.events.ChunkResult;
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
 * @param early results whose plan is not known yet (processed when it arrives, dropped if another plan does)
 */
record ObjectProgress(
        ObjectChanged plan,
        ObjectState state,
        List<Checksum> chunks,
        long bytesCopied,
        Checksum treeHash,
        String failure,
        String message,
        List<ChunkResult> early) {

    ObjectProgress {
        early = early == null ? List.of() : early;
    }

    static ObjectProgress planned(ObjectChanged plan) {
        return new ObjectProgress(plan, ObjectState.PENDING,
                new ArrayList<>(Collections.nCopies(plan.plan().chunkCount(), null)), 0, null, null, null, List.of());
    }

    static ObjectProgress onlyEarly(List<ChunkResult> early) {
        return new ObjectProgress(null, null, List.of(), 0, null, null, null, early);
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
        return new ObjectProgress(plan, newState, chunks, bytesCopied, treeHash, newFailure, newMessage, early);
    }

    ObjectStatus status(Instant at) {
        return new ObjectStatus(plan.job(), plan.objectKey(), plan.planId(), state, plan.version(), plan.size(),
                plan.generation(), plan.attempt(), chunks.size(), chunksCopied(),
                state == ObjectState.VERIFIED ? plan.size() : bytesCopied, treeHash, failure, message, at,
                plan.endpoints() == null ? null : plan.endpoints().destination().identity());
    }
}

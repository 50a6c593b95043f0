package io.ferry.verifier;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts over every object of a job (store {@code job-tally}), kept by adding each new object
 * status and subtracting the one it replaces. {@code finalByGeneration} counts objects in a final
 * state per scan, which tells when a scan has settled. The same record holds a change of a tally
 * (counts may be negative): each tracker task sums its objects' changes per job and sends them on
 * a few times a second, and the job's tally is the {@link #plus sum} of what they send.
 */
record JobTally(
        long objects,
        long verified,
        long failed,
        long gone,
        long bytesTotal,
        long bytesVerified,
        long bytesCopied,
        long retries,
        Map<Long, Long> finalByGeneration,
        String verifiedDigest) {

    /**
     * What the tally takes from an object's status: only what is counted. Each object's progress
     * keeps the entry it last counted, to take it out again when the next status replaces it.
     */
    record Entry(String objectKey, ObjectState state, long size, long generation, int attempt, long bytesCopied,
            Checksum treeHash) {
        static Entry of(ObjectStatus s) {
            return new Entry(s.objectKey(), s.state(), s.size(), s.generation(), s.attempt(), s.bytesCopied(),
                    s.state() == ObjectState.VERIFIED ? s.treeHash() : null);
        }
    }

    JobTally {
        finalByGeneration = finalByGeneration == null ? Map.of() : finalByGeneration;
    }

    static JobTally empty() {
        return new JobTally(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), null);
    }

    JobTally add(Entry s) {
        return change(s, 1);
    }

    JobTally subtract(Entry s) {
        return change(s, -1);
    }

    /** This tally with {@code change} (another tally, or a change of one) added. */
    JobTally plus(JobTally change) {
        Map<Long, Long> finals = new TreeMap<>(finalByGeneration);
        change.finalByGeneration().forEach((generation, n) -> {
            long sum = finals.getOrDefault(generation, 0L) + n;
            if (sum == 0) {
                finals.remove(generation);
            } else {
                finals.put(generation, sum);
            }
        });
        return new JobTally(objects + change.objects, verified + change.verified, failed + change.failed, gone + change.gone,
                bytesTotal + change.bytesTotal, bytesVerified + change.bytesVerified, bytesCopied + change.bytesCopied,
                retries + change.retries, finals, VerifiedDigest.plus(verifiedDigest, change.verifiedDigest));
    }

    long inFlight() {
        return objects - verified - failed - gone;
    }

    long finalIn(long generation) {
        return finalByGeneration.getOrDefault(generation, 0L);
    }

    private JobTally change(Entry s, int sign) {
        boolean isGone = s.state() == ObjectState.GONE;
        boolean isVerified = s.state() == ObjectState.VERIFIED;
        Map<Long, Long> finals = new TreeMap<>(finalByGeneration);
        if (s.state().isFinal()) {
            long n = finals.getOrDefault(s.generation(), 0L) + sign;
            if (n == 0) {
                finals.remove(s.generation());
            } else {
                finals.put(s.generation(), n);
            }
        }
        return new JobTally(
                objects + sign,
                verified + (isVerified ? sign : 0),
                failed + (s.state() == ObjectState.FAILED ? sign : 0),
                gone + (isGone ? sign : 0),
                bytesTotal + (isGone ? 0 : sign * s.size()),
                bytesVerified + (isVerified ? sign * s.size() : 0),
                bytesCopied + (isGone ? 0 : sign * Math.min(s.bytesCopied(), s.size())),
                retries + (long) sign * s.attempt(),
                finals,
                isVerified && s.treeHash() != null
                        ? VerifiedDigest.plus(verifiedDigest, s.objectKey(), s.treeHash(), sign) : verifiedDigest);
    }
}

package io.ferry.verifier;

import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts over every object of a job (store {@code job-tally}), kept by adding each new object
 * status and subtracting the one it replaces. {@code finalByGeneration} counts objects in a final
 * state per scan, which tells when a scan has settled.
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

    static JobTally empty() {
        return new JobTally(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), null);
    }

    JobTally add(ObjectStatus s) {
        return change(s, 1);
    }

    JobTally subtract(ObjectStatus s) {
        return change(s, -1);
    }

    long inFlight() {
        return objects - verified - failed - gone;
    }

    long finalIn(long generation) {
        return finalByGeneration.getOrDefault(generation, 0L);
    }

    private JobTally change(ObjectStatus s, int sign) {
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

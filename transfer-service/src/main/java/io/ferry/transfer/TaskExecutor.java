package io.ferry.transfer;

import io.ferry.checksum.Checksum;
import io.ferry.schemas.events.AbortUpload;
import io.ferry.schemas.events.ChunkCopied;
import io.ferry.schemas.events.ChunkFailed;
import io.ferry.schemas.events.ChunkFailed.FailureReason;
import io.ferry.schemas.events.ObjectResult;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CommitObject;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectCommitted;
import io.ferry.storage.Backoff;
import io.ferry.storage.ChunkDigests;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsDurableNames;
import io.ferry.storage.SupportsIntegrityStamp;
import io.ferry.storage.SupportsMultipartUpload;
import io.ferry.storage.SupportsSettling;
import io.ferry.storage.ThrottledException;
import io.ferry.storage.TokenBucket;
import io.ferry.storage.TreeHashStamp;
import io.ferry.storage.Written;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jboss.logging.Logger;

/**
 * Does one chunk task storage-to-storage and says what happened. Reads are pinned to the planned
 * version and streamed through a fixed buffer into the destination; SHA-256 is taken over the
 * bytes read. Storage writes are idempotent, so a task delivered twice does no harm.
 */
final class TaskExecutor {
    private static final Logger LOG = Logger.getLogger(TaskExecutor.class);

    /** What the executor did, for metrics. */
    interface Meter {
        /** One small object or one part of a large one copied: {@code bytes} in {@code nanos}. */
        void copied(Endpoints endpoints, long bytes, long nanos);

        /** {@code bytes} read back from the destination to verify them. */
        void verified(Endpoints endpoints, long bytes);

        /** A storage call is tried again; {@code throttled} when the store asked to slow down. */
        void retried(boolean throttled);
    }

    /**
     * Chunks of one multipart object read back at once: enough streams to pass one stream's round
     * trips, few enough to leave the object pool to the small objects of other tasks.
     */
    static final int READ_BACK_STREAMS = 4;

    /** Attempts a throttled call gets: the store asked to slow down, not to give up. */
    static final int MAX_THROTTLED_ATTEMPTS = 10;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final StoreCache stores;
    private final String worker;
    private final int maxAttempts;
    private final Duration backoff;
    private final int bufferSize;
    private final Meter meter;
    private final AdaptiveLimit limit;
    private final ExecutorService objectPool;
    private final Map<String, TokenBucket> bandwidth = new ConcurrentHashMap<>();

    /**
     * @param objectPool runs the objects of a batch side by side: against an object store each small
     *     object costs round trips, not bandwidth, so one at a time would leave the instance idle
     */
    TaskExecutor(StoreCache stores, String worker, int maxAttempts, Duration backoff, int bufferSize, Meter meter,
            AdaptiveLimit limit, ExecutorService objectPool) {
        this.stores = stores;
        this.worker = worker;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.bufferSize = bufferSize;
        this.meter = meter;
        this.limit = limit;
        this.objectPool = objectPool;
    }

    List<ObjectResult> run(ChunkTask task) throws InterruptedException {
        if (task instanceof CopyBatch batch) {
            return copyBatch(batch);
        }
        if (task instanceof CopyPart part) {
            return List.of(copyPart(part));
        }
        if (task instanceof AbortUpload abort) {
            abort(abort);
            return List.of();
        }
        return List.of(commit((CommitObject) task));
    }

    private List<ObjectResult> copyBatch(CopyBatch batch) throws InterruptedException {
        List<Future<List<ObjectResult>>> copies = new ArrayList<>(batch.objects().size());
        try {
            for (CopyBatch.ObjectVersion o : batch.objects()) {
                copies.add(objectPool.submit(() -> copyWhole(batch, o)));
            }
            List<ObjectResult> results = new ArrayList<>(batch.objects().size());
            for (Future<List<ObjectResult>> copy : copies) {
                results.addAll(copy.get());
            }
            return withDurableNames(batch, results);
        } catch (ExecutionException e) {
            throw new IllegalStateException("copying an object of batch " + batch.batchId() + " failed unexpectedly", e.getCause());
        } finally {
            copies.forEach(f -> f.cancel(true));
        }
    }

    /**
     * The batch's results once the objects written are there to stay: where the destination needs
     * its directories synced for a rename to survive a crash, they are, once for the whole batch.
     * An object whose name could not be made durable is reported failed, never copied.
     */
    private List<ObjectResult> withDurableNames(CopyBatch batch, List<ObjectResult> results) throws InterruptedException {
        List<String> written = results.stream().filter(r -> r instanceof ObjectCommitted).map(ObjectResult::objectKey).toList();
        if (written.isEmpty()) {
            return results;
        }
        try {
            withRetries(() -> {
                if (stores.get(batch.endpoints().destination()) instanceof SupportsDurableNames durable) {
                    durable.syncNames(written);
                }
                return null;
            });
            return results;
        } catch (IOException e) {
            return results.stream().map(r -> r instanceof ObjectCommitted c
                    ? failed(c.job(), c.objectKey(), c.planId(), c.version(), 0, e) : r).toList();
        }
    }

    /**
     * Writes one small object whole, then reads it back: one ObjectCommitted carrying both the
     * digest of what was sent and what was read back, or a ChunkFailed.
     */
    private List<ObjectResult> copyWhole(CopyBatch batch, CopyBatch.ObjectVersion o) throws InterruptedException {
        try {
            return withRetries(() -> {
                long started = System.nanoTime();
                ObjectStore source = stores.get(batch.endpoints().source());
                ObjectStore destination = stores.get(batch.endpoints().destination());
                MessageDigest md = Checksum.newSha256();
                Written written;
                try (ObjectStream in = openSource(source, o.objectKey(), o.version(), 0, o.size())) {
                    var digesting = new DigestingSource(paced(batch.job(), batch.endpoints(), in), md);
                    written = destination.put(o.objectKey(), digesting, o.size(), kept(in.attributes(), batch.endpoints()));
                    // The pinned source checks its version when it reports the end; a writer that
                    // stopped at the size may not have asked, so ask here.
                    if (digesting.read() != -1) {
                        throw new StorageException("source longer than planned", false);
                    }
                }
                meter.copied(batch.endpoints(), o.size(), System.nanoTime() - started);
                Checksum copied = Checksum.sha256(md.digest());
                // The server vouching for the bytes it was sent makes our digest of them its checksum
                // too; a store that read them back itself saves reading the key again.
                List<Checksum> stored;
                if (!batch.endpoints().options().verifyAfterCopy() && written.storedAsSent()) {
                    stored = List.of(copied);
                } else if (written.readBack() != null) {
                    stored = List.of(written.readBack());
                    meter.verified(batch.endpoints(), o.size());
                } else {
                    stored = readBackChunks(batch.endpoints(), destination, written.object(), o.size(), o.size());
                }
                if (destination instanceof SupportsSettling settling) {
                    settling.settle(o.objectKey(), written.object().version());
                }
                return List.<ObjectResult>of(new ObjectCommitted(batch.job(), o.objectKey(), o.planId(), o.version(), stored,
                        worker, copied));
            });
        } catch (IOException e) {
            return List.of(failed(batch.job(), o.objectKey(), o.planId(), o.version(), 0, e));
        }
    }

    private ObjectResult copyPart(CopyPart p) throws InterruptedException {
        try {
            return withRetries(() -> {
                long started = System.nanoTime();
                ObjectStore source = stores.get(p.endpoints().source());
                SupportsMultipartUpload destination = multipart(stores.get(p.endpoints().destination()));
                MessageDigest md = Checksum.newSha256();
                try (InputStream in = openSource(source, p.objectKey(), p.version(), p.offset(), p.length())) {
                    var digesting = new DigestingSource(paced(p.job(), p.endpoints(), in), md);
                    destination.writePart(p.objectKey(), p.uploadId(), p.chunkIndex(), p.offset(), digesting, p.length());
                    if (digesting.read() != -1) {
                        throw new StorageException("source range longer than planned", false);
                    }
                }
                meter.copied(p.endpoints(), p.length(), System.nanoTime() - started);
                return new ChunkCopied(p.job(), p.objectKey(), p.planId(), p.version(), p.chunkIndex(), p.offset(), p.length(),
                        Checksum.sha256(md.digest()), worker);
            });
        } catch (IOException e) {
            return failed(p.job(), p.objectKey(), p.planId(), p.version(), p.chunkIndex(), e);
        }
    }

    /** Completes the upload (or finds it completed by an earlier delivery) and reads the chunks back. */
    private ObjectResult commit(CommitObject c) throws InterruptedException {
        try {
            return withRetries(() -> {
                ObjectStore store = stores.get(c.endpoints().destination());
                SupportsMultipartUpload destination = multipart(store);
                Written done;
                try {
                    done = destination.completeUpload(c.objectKey(), c.uploadId(), c.chunkCount(), c.size(), c.sentChunks());
                } catch (ObjectNotFoundException e) {
                    done = Written.unconfirmed(store.stat(c.objectKey()).filter(i -> i.size() == c.size())
                            .orElseThrow(() -> new StorageException("upload " + c.uploadId() + " of " + c.objectKey()
                                    + " is gone and no object of " + c.size() + " bytes is there", false)));
                }
                // The server's SHA-256 of every part stands in for a re-read only if the job allows it.
                List<Checksum> chunks = !c.endpoints().options().verifyAfterCopy() && done.partChecksums().size() == c.chunkCount()
                        ? done.partChecksums() : readBackSideBySide(c.endpoints(), store, done.object(), c.size(), c.chunkSize());
                ObjectInfo committed = done.object();
                if (store instanceof SupportsIntegrityStamp stamping) {
                    // A multipart ETag is no MD5 of the bytes: leave on the object what it hashes to.
                    committed = stamping.stamp(c.objectKey(), committed.version(),
                            new TreeHashStamp(c.chunkSize(), Checksum.treeHash(chunks)));
                }
                if (store instanceof SupportsSettling settling) {
                    settling.settle(c.objectKey(), committed.version());
                }
                return new ObjectCommitted(c.job(), c.objectKey(), c.planId(), c.version(), chunks, worker);
            });
        } catch (IOException e) {
            return new ChunkFailed(c.job(), c.objectKey(), c.planId(), c.version(), -1, FailureReason.COMMIT_FAILED,
                    e.getMessage(), worker);
        }
    }

    /** Best effort: an upload left behind is hidden and costs only space, so a failure is logged, not retried forever. */
    private void abort(AbortUpload a) throws InterruptedException {
        try {
            withRetries(() -> {
                multipart(stores.get(a.endpoints().destination())).abortUpload(a.objectKey(), a.uploadId());
                return null;
            });
        } catch (IOException e) {
            LOG.warnf("could not abort upload %s of %s in %s: %s", a.uploadId(), a.objectKey(), a.job(), e.getMessage());
        }
    }

    /** SHA-256 of each {@code chunkSize} range of the destination object, read back at the version written. */
    private List<Checksum> readBackChunks(Endpoints endpoints, ObjectStore destination, ObjectInfo written, long size, long chunkSize)
            throws IOException {
        List<Checksum> chunks = ChunkDigests.of(destination, new ObjectInfo(written.key(), size, written.version(),
                written.lastModified()), chunkSize, bufferSize, in -> in);
        meter.verified(endpoints, size);
        return chunks;
    }

    /**
     * {@link #readBackChunks} with up to {@link #READ_BACK_STREAMS} chunks read at once by the object
     * pool: one stream from an object store is bound by its round trips and one core's hashing, not
     * by the link, and a multipart object read back by one thread at its commit was the tail of every
     * large upload. Runs on a task thread, never in the pool, so it cannot wait on itself.
     */
    private List<Checksum> readBackSideBySide(Endpoints endpoints, ObjectStore destination, ObjectInfo written, long size,
            long chunkSize) throws IOException, InterruptedException {
        var object = new ObjectInfo(written.key(), size, written.version(), written.lastModified());
        int chunkCount = ChunkDigests.count(size, chunkSize);
        int bufferBytes = (int) Math.max(1, Math.min(bufferSize, Math.min(chunkSize, Math.max(size, 1))));
        List<Checksum> chunks = new ArrayList<>(chunkCount);
        var reads = new ArrayDeque<Future<Checksum>>(READ_BACK_STREAMS);
        try {
            for (int i = 0; i < chunkCount; i++) {
                if (reads.size() == READ_BACK_STREAMS) {
                    chunks.add(reads.remove().get());
                }
                long offset = i * chunkSize;
                long length = Math.min(chunkSize, size - offset);
                reads.add(objectPool.submit(() -> ChunkDigests.of(destination, object, offset, length, new byte[bufferBytes],
                        in -> in)));
            }
            while (!reads.isEmpty()) {
                chunks.add(reads.remove().get());
            }
            meter.verified(endpoints, size);
            return chunks;
        } catch (ExecutionException e) {
            // as if read on this thread: a storage error is retried, a refused key is final
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException refusedOrBug) {
                throw refusedOrBug;
            }
            throw new IllegalStateException("reading back " + written.key() + " failed unexpectedly", e.getCause());
        } finally {
            reads.forEach(f -> f.cancel(true));
        }
    }

    /** The source's attributes as the destination should keep them: its time only when the job preserves timestamps. */
    private static ObjectAttributes kept(ObjectAttributes source, Endpoints endpoints) {
        return endpoints.options().preserveTimestamps() ? source : source.withModified(null);
    }

    /** The source paced to the job's bandwidth limit in this instance, if it has one. */
    private InputStream paced(String job, Endpoints endpoints, InputStream in) {
        long limit = endpoints.options().bandwidthLimit();
        if (limit <= 0) {
            return in;
        }
        TokenBucket limiter = bandwidth.compute(job, (k, existing) ->
                existing != null && existing.perSecond() == limit ? existing : new TokenBucket(limit));
        return limiter.pace(in);
    }

    private ObjectStream openSource(ObjectStore source, String key, String version, long offset, long length) throws IOException {
        try {
            return source.open(key, version, offset, length);
        } catch (IOException e) {
            throw new SourceReadException(e);
        } catch (IllegalArgumentException e) {
            throw new SourceReadException(refused(e));
        }
    }

    /** A store refused the key or a parameter: final for this object, never a reason to redo the task. */
    private static StorageException refused(IllegalArgumentException e) {
        return new StorageException(e.getMessage(), false, e);
    }

    private static SupportsMultipartUpload multipart(ObjectStore store) throws StorageException {
        if (store instanceof SupportsMultipartUpload m) {
            return m;
        }
        throw new StorageException("destination does not support multipart uploads", false);
    }

    private ChunkFailed failed(String job, String key, String planId, String version, int chunk, IOException e) {
        boolean fromSource = e instanceof SourceReadException;
        IOException cause = fromSource ? ((SourceReadException) e).source() : e;
        FailureReason reason;
        if (cause instanceof SourceChangedException) {
            reason = FailureReason.SOURCE_CHANGED;
        } else if (fromSource && cause instanceof ObjectNotFoundException) {
            reason = FailureReason.SOURCE_GONE;
        } else if (fromSource) {
            reason = FailureReason.SOURCE_UNREADABLE;
        } else {
            reason = FailureReason.DESTINATION_UNWRITABLE;
        }
        LOG.warnf("%s chunk %d of %s in %s: %s", reason, chunk, key, job, cause.getMessage());
        return new ChunkFailed(job, key, planId, version, chunk, reason, cause.getMessage(), worker);
    }

    private interface StorageCall<T> {
        T call() throws IOException, InterruptedException;
    }

    /**
     * Runs a storage call under the adaptive limit, retrying retryable errors with exponential
     * back-off and jitter, never sooner than a throttling server's Retry-After; others go straight out.
     * Throttling lowers the limit and gets more attempts.
     */
    private <T> T withRetries(StorageCall<T> call) throws IOException, InterruptedException {
        var pause = new Backoff(backoff, MAX_BACKOFF);
        for (int attempt = 1;; attempt++) {
            boolean throttled = false;
            IOException cause;
            limit.acquire();
            try {
                try {
                    return call.call();
                } catch (IllegalArgumentException e) {
                    throw refused(e);
                }
            } catch (IOException e) {
                cause = e instanceof SourceReadException s ? s.source() : e;
                throttled = cause instanceof ThrottledException;
                boolean retryable = !(cause instanceof StorageException se) || se.retryable();
                if (!retryable || attempt >= (throttled ? MAX_THROTTLED_ATTEMPTS : maxAttempts)) {
                    throw e;
                }
            } finally {
                limit.release(throttled);
            }
            meter.retried(throttled);
            Thread.sleep(pause.nextMillis(cause));
        }
    }

}

package io.ferry.scanner;

import io.ferry.jobs.JobSettings;
import io.ferry.schemas.events.ChunkTask;
import io.ferry.schemas.events.CopyBatch;
import io.ferry.schemas.events.CopyPart;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.storage.ChunkDigests;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectNotFoundException;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.SourceChangedException;
import io.ferry.storage.StorageException;
import io.ferry.storage.SupportsMultipartUpload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns changed objects into chunk tasks (see scanner-service/DESIGN.md). Objects under the
 * multipart threshold are batched, fpart-style, up to a count or a byte total per task; larger
 * ones get a multipart upload opened here and one task per chunk. Not thread-safe: one per scan.
 */
final class ChunkPlanner {
    private static final long MIB = 1L << 20;

    private final String jobKey;
    private final Endpoints endpoints;
    private final JobSettings settings;
    private final long generation;
    private final int batchMaxObjects;
    private final long batchMaxBytes;
    private final ObjectStore source;
    private final SupportsMultipartUpload destination;

    private final List<ObjectChanged> batchChanges = new ArrayList<>();
    private final List<CopyBatch.ObjectVersion> batchObjects = new ArrayList<>();
    private long batchBytes;

    /**
     * @param source where the objects are, for the attributes a multipart upload fixes when it opens
     * @param destination the destination's multipart capability, or null when it has none (every
     *     object is then written whole)
     */
    ChunkPlanner(String jobKey, Endpoints endpoints, JobSettings settings, long generation, int batchMaxObjects,
            long batchMaxBytes, ObjectStore source, SupportsMultipartUpload destination) {
        this.jobKey = jobKey;
        this.endpoints = endpoints;
        this.settings = settings;
        this.generation = generation;
        this.batchMaxObjects = batchMaxObjects;
        this.batchMaxBytes = batchMaxBytes;
        this.source = source;
        this.destination = destination;
    }

    /**
     * The chunk size for an object: the requested size, raised to the store's smallest part and so
     * the object needs at most {@code maxParts} parts (rounded up to a whole MiB when raised for that).
     */
    static long chunkSizeFor(long objectSize, long requestedChunkSize, int maxParts, long minPartSize) {
        requestedChunkSize = Math.max(requestedChunkSize, minPartSize);
        long minimum = (objectSize + maxParts - 1) / maxParts;
        if (minimum <= requestedChunkSize) {
            return requestedChunkSize;
        }
        return (minimum + MIB - 1) / MIB * MIB;
    }

    /** Plans one changed object; returns what is ready to emit (a full batch, or the large object). */
    List<PlanUnit> add(ObjectInfo object, int attempt) throws StorageException {
        if (destination != null && object.size() >= settings.multipartThreshold()) {
            return List.of(planMultipart(object, attempt));
        }
        String planId = PlanIds.next();
        batchChanges.add(change(object, planId, attempt, CopyPlan.singlePut(object.size())));
        batchObjects.add(new CopyBatch.ObjectVersion(object.key(), planId, object.version(), object.size()));
        batchBytes += object.size();
        if (batchObjects.size() >= batchMaxObjects || batchBytes >= batchMaxBytes) {
            return flush();
        }
        return List.of();
    }

    /** Emits the partial batch, if any. Call at the end of a listing. */
    List<PlanUnit> flush() {
        if (batchObjects.isEmpty()) {
            return List.of();
        }
        var unit = new PlanUnit(List.copyOf(batchChanges),
                List.of(new CopyBatch(jobKey, endpoints, PlanIds.next(), List.copyOf(batchObjects))));
        batchChanges.clear();
        batchObjects.clear();
        batchBytes = 0;
        return List.of(unit);
    }

    private PlanUnit planMultipart(ObjectInfo object, int attempt) throws StorageException {
        long chunkSize = chunkSizeFor(object.size(), settings.chunkSize(), destination.maxParts(), destination.minPartSize());
        int chunks = ChunkDigests.count(object.size(), chunkSize);
        String uploadId = destination.startUpload(object.key(), attributesOf(object));
        String planId = PlanIds.next();
        CopyPlan plan = new CopyPlan(CopyPlan.Strategy.MULTIPART, chunkSize, chunks, uploadId);
        List<ChunkTask> tasks = new ArrayList<>(chunks);
        for (int i = 0; i < chunks; i++) {
            tasks.add(new CopyPart(jobKey, endpoints, object.key(), planId, object.version(), object.size(), uploadId, i,
                    plan.chunkOffset(i), plan.chunkLength(i, object.size())));
        }
        return new PlanUnit(List.of(change(object, planId, attempt, plan)), tasks);
    }

    /**
     * What the upload fixes when it opens: the source's content type and user metadata, and its
     * modification time when kept. A source that changed since it was listed gets none; its copy
     * will fail as changed and be planned again from a fresh stat.
     */
    private ObjectAttributes attributesOf(ObjectInfo object) throws StorageException {
        ObjectAttributes attributes;
        try (ObjectStream empty = source.open(object.key(), object.version(), 0, 0)) {
            attributes = empty.attributes();
        } catch (SourceChangedException | ObjectNotFoundException e) {
            return ObjectAttributes.NONE;
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new StorageException("cannot read the attributes of " + object.key() + ": " + e.getMessage(), true, e);
        }
        return attributes.withModified(settings.preserveTimestamps() ? object.lastModified() : null);
    }

    private ObjectChanged change(ObjectInfo object, String planId, int attempt, CopyPlan plan) {
        return new ObjectChanged(jobKey, object.key(), planId, ObjectChanged.Change.UPSERT, object.size(), object.version(),
                object.lastModified(), generation, attempt, settings.maxRetries(), endpoints, plan);
    }
}

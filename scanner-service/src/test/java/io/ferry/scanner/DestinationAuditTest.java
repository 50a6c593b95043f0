package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.checksum.Checksum;
import io.ferry.jobs.JobKernel;
import io.ferry.jobs.JobPolicy;
import io.ferry.jobs.ValidatedJob;
import io.ferry.schemas.events.AuditCompleted;
import io.ferry.schemas.events.ObjectState;
import io.ferry.schemas.events.ObjectStatus;
import io.ferry.schemas.events.ObjectTrigger;
import io.ferry.storage.ObjectAttributes;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.ObjectStore;
import io.ferry.storage.ObjectStores;
import io.ferry.storage.ObjectStream;
import io.ferry.storage.StorageException;
import io.ferry.storage.StorageUri;
import io.ferry.storage.TokenBucket;
import io.ferry.storage.Written;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit against a real destination directory; the verified state is a list, repairs are recorded. */
class DestinationAuditTest {
    static final long CHUNK = 4;

    @TempDir
    Path source;

    @TempDir
    Path destination;

    final ObjectStores stores = ObjectStores.installed(Map.of());
    final List<ObjectStatus> statuses = new ArrayList<>();
    final List<ObjectTrigger> repaired = new ArrayList<>();

    ValidatedJob job(double rehashPercent) {
        return new JobKernel(stores, JobPolicy.UNRESTRICTED).read("""
                metadata: {name: j, namespace: ml, annotations: {ferry.io/audit-rehash-percent: "%s"}}
                spec:
                  mode: continuous
                  source: {storageUri: "%s"}
                  destination: {storageUri: "%s"}
                """.formatted(rehashPercent, StorageUri.directory(source), StorageUri.directory(destination)));
    }

    /** A file copied and verified: both sides hold it, the status carries its chunk tree hash. */
    void verified(ValidatedJob job, String key, String content) throws Exception {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Files.write(source.resolve(key), bytes);
        Files.write(destination.resolve(key), bytes);
        List<Checksum> chunks = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += CHUNK) {
            MessageDigest md = Checksum.newSha256();
            md.update(Arrays.copyOfRange(bytes, offset, (int) Math.min(bytes.length, offset + CHUNK)));
            chunks.add(Checksum.sha256(md.digest()));
        }
        statuses.add(new ObjectStatus(job.key(), key, "p-" + key, ObjectState.VERIFIED, "v1", bytes.length, 7, 0, chunks.size(),
                CHUNK, chunks.size(), bytes.length, Checksum.treeHash(chunks), null, "checksums validated", Instant.EPOCH,
                job.document().spec().destination().identity()));
    }

    AuditCompleted audit(ValidatedJob job, int pageSize) throws Exception {
        try (ObjectStore destination = stores.open(job.destination())) {
            return audit(job, pageSize, destination);
        }
    }

    AuditCompleted audit(ValidatedJob job, int pageSize, ObjectStore destination) throws Exception {
        StatusPages pages = (jobKey, after, limit) -> statuses.stream()
                .filter(s -> after == null || s.objectKey().compareTo(after) > 0)
                .limit(Math.min(limit, pageSize)).map(StoredStatuses::of).toList();
        return new DestinationAudit(job, 7, pages, (j, t) -> repaired.add(t), new TokenBucket(1_000_000),
                new TokenBucket(1 << 30), () -> 50, Clock.systemUTC()).run(destination, () -> false).orElseThrow();
    }

    /** The job's destination, except that reading {@code refused} back fails as an archived object's read does. */
    ObjectStore refusingToRead(ValidatedJob job, String refused, boolean retryable) throws Exception {
        ObjectStore files = stores.open(job.destination());
        return new ObjectStore() {
            @Override
            public Stream<ObjectInfo> list(String prefix) throws StorageException {
                return files.list(prefix);
            }

            @Override
            public Optional<ObjectInfo> stat(String key) throws StorageException {
                return files.stat(key);
            }

            @Override
            public ObjectStream open(String key, String version, long offset, long length) throws StorageException {
                if (key.equals(refused)) {
                    throw new StorageException("cannot read " + key + ": NotRestored (HTTP 409)", retryable);
                }
                return files.open(key, version, offset, length);
            }

            @Override
            public Written put(String key, InputStream data, long size, ObjectAttributes attributes) throws IOException {
                return files.put(key, data, size, attributes);
            }

            @Override
            public void delete(String key) throws StorageException {
                files.delete(key);
            }
        };
    }

    @Test
    void shouldGoOnPastAnObjectItCannotReadBackAndStopWhenTheDestinationFails() throws Exception {
        ValidatedJob job = job(100);
        verified(job, "archived.bin", "cold cold cold");
        verified(job, "b.bin", "bravo bravo bravo");
        Files.writeString(destination.resolve("b.bin"), "bravo brAvo bravo");

        AuditCompleted done = audit(job, 1000, refusingToRead(job, "archived.bin", false));
        assertThat(done.objectsUnreadable()).isEqualTo(1);
        assertThat(done.objectsRehashed()).isEqualTo(1);
        assertThat(repaired).extracting(ObjectTrigger::objectKey).as("the object after it still audited").containsExactly("b.bin");

        assertThatThrownBy(() -> audit(job, 1000, refusingToRead(job, "archived.bin", true)))
                .as("a destination that may answer later: the audit stops and is due again").isInstanceOf(StorageException.class);
    }

    @Test
    void shouldPlanAgainWhatIsMissingTruncatedOrCorruptAndLeaveTheRest() throws Exception {
        ValidatedJob job = job(100);
        verified(job, "a.bin", "alpha alpha alpha");
        verified(job, "b.bin", "bravo bravo bravo");
        verified(job, "c.bin", "charlie charlie");
        verified(job, "d.bin", "delta delta");
        Files.delete(destination.resolve("a.bin"));
        Files.writeString(destination.resolve("b.bin"), "bravo");
        Files.writeString(destination.resolve("c.bin"), "charlie chArlie");

        AuditCompleted done = audit(job, 1000);

        assertThat(repaired).extracting(ObjectTrigger::objectKey).containsExactly("a.bin", "b.bin", "c.bin");
        assertThat(repaired).allSatisfy(t -> assertThat(t.generation()).as("under the scan the audit followed").isEqualTo(7));
        assertThat(repaired.get(0).reason()).contains("missing");
        assertThat(repaired.get(1).reason()).contains("holds 5 bytes, 17 were verified");
        assertThat(repaired.get(2).reason()).contains("does not hash");
        assertThat(done.objectsChecked()).isEqualTo(4);
        assertThat(done.objectsMissing()).isEqualTo(1);
        assertThat(done.objectsDifferent()).isEqualTo(2);
        assertThat(done.objectsRehashed()).as("the two of the right size").isEqualTo(2);
        assertThat(done.bytesRehashed()).isEqualTo(15 + 11);
    }

    @Test
    void shouldReHashOnlyTheSampleAndSkipObjectsNotVerifiedHere() throws Exception {
        ValidatedJob job = job(10);
        verified(job, "a.bin", "alpha alpha alpha");
        Files.writeString(destination.resolve("a.bin"), "alpha alphA alpha");
        ObjectStatus elsewhere = statuses.get(0);
        statuses.add(new ObjectStatus(job.key(), "b.bin", "p", ObjectState.VERIFIED, "v1", 3, 7, 0, 1, 3, 1, 3,
                elsewhere.treeHash(), null, null, Instant.EPOCH, "file:///somewhere/else/"));
        statuses.add(new ObjectStatus(job.key(), "c.bin", "p", ObjectState.COPYING, "v1", 3, 7, 0, 1, 3, 0, 0,
                null, null, null, Instant.EPOCH, elsewhere.destination()));

        AuditCompleted done = audit(job, 1000);

        assertThat(done.objectsChecked()).as("only a.bin is Verified for this destination").isEqualTo(1);
        assertThat(done.objectsRehashed()).as("drawn 50, above a 10% sample").isZero();
        assertThat(repaired).as("same size, not re-hashed: not found this time").isEmpty();
    }

    @Test
    void shouldNotReHashAtChunkBoundariesItsStatusContradicts() throws Exception {
        ValidatedJob job = job(100);
        verified(job, "a.bin", "alpha alpha alpha");
        ObjectStatus honest = statuses.remove(0);
        // 17 bytes in 1-byte chunks would be 17 chunks, not the 5 the status counts: junk, not a reason to read 17 ranges
        statuses.add(new ObjectStatus(honest.job(), honest.objectKey(), honest.planId(), honest.state(), honest.version(),
                honest.size(), honest.generation(), honest.attempt(), honest.chunksTotal(), 1, honest.chunksCopied(),
                honest.bytesCopied(), honest.treeHash(), null, null, Instant.EPOCH, honest.destination()));
        AuditCompleted done = audit(job, 1000);
        assertThat(done.objectsChecked()).isEqualTo(1);
        assertThat(done.objectsRehashed()).isZero();
        assertThat(repaired).isEmpty();
        assertThat(DestinationAudit.consistentChunks(honest)).isTrue();
    }

    @Test
    void shouldWalkEveryPage() throws Exception {
        ValidatedJob job = job(0);
        for (int i = 0; i < 7; i++) {
            verified(job, "f" + i, "content " + i);
        }
        Files.delete(destination.resolve("f6"));
        AuditCompleted done = audit(job, 3);
        assertThat(done.objectsChecked()).isEqualTo(7);
        assertThat(repaired).extracting(ObjectTrigger::objectKey).containsExactly("f6");
    }
}

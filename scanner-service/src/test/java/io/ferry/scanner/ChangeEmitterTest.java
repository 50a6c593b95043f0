package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferry.schemas.Topics;
import io.ferry.schemas.events.CopyPlan;
import io.ferry.schemas.events.ObjectChanged;
import io.ferry.schemas.events.ScanStarted;
import io.ferry.storage.ObjectInfo;
import io.ferry.storage.testkit.InMemoryObjectStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ChangeEmitterTest {
    final MockProducer<String, byte[]> producer = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());

    @Test
    void shouldWriteAChangeAndItsTasksInOneTransaction() throws Exception {
        var planner = new ChunkPlanner("ns/j", ChunkPlannerTest.ENDPOINTS, ChunkPlannerTest.settings("1KiB", "64KiB"), 1, 10,
                1 << 20, new InMemoryObjectStore(), new InMemoryObjectStore());
        List<PlanUnit> units = planner.add(new ObjectInfo("big", 200_000, "v", Instant.EPOCH), 0);
        try (var emitter = new ChangeEmitter(() -> producer)) {
            emitter.emit(units.get(0));
        }
        assertThat(producer.transactionCommitted()).isTrue();
        assertThat(producer.history()).extracting(r -> r.topic())
                .containsExactly(Topics.OBJECT_CHANGES, Topics.CHUNK_TASKS, Topics.CHUNK_TASKS, Topics.CHUNK_TASKS, Topics.CHUNK_TASKS);
        assertThat(producer.history().get(0).key()).isEqualTo("ns/j|big");
    }

    @Test
    void shouldWithdrawADeletedJobOnEveryPartitionInOneTransaction() {
        var partitions = List.of(0, 1, 2).stream()
                .map(p -> new PartitionInfo(Topics.OBJECT_CHANGES, p, Node.noNode(), new Node[0], new Node[0])).toList();
        var cluster = new Cluster("c", List.of(), partitions, Set.of(), Set.of());
        var partitioned = new MockProducer<>(cluster, true, null, new StringSerializer(), new ByteArraySerializer());
        try (var emitter = new ChangeEmitter(() -> partitioned)) {
            emitter.withdraw(new ObjectChanged("ns/j", null, "w", ObjectChanged.Change.WITHDRAWN, 0, null, Instant.EPOCH, 1, 0, 0,
                    null, CopyPlan.singlePut(0)));
        }
        assertThat(partitioned.transactionCommitted()).isTrue();
        assertThat(partitioned.history()).extracting(r -> r.partition()).containsExactly(0, 1, 2);
        assertThat(partitioned.history()).extracting(r -> r.key()).containsOnly("ns/j|");
    }

    @Test
    void shouldRefuseToWithdrawIntoNoPartitionsAtAll() {
        try (var emitter = new ChangeEmitter(() -> producer)) {
            assertThatThrownBy(() -> emitter.withdraw(new ObjectChanged("ns/j", null, "w", ObjectChanged.Change.WITHDRAWN, 0, null,
                    Instant.EPOCH, 1, 0, 0, null, CopyPlan.singlePut(0)))).isInstanceOf(KafkaException.class)
                    .hasMessageContaining("ns/j not withdrawn");
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldAbortAndRethrowWhenTheTransactionFails() {
        producer.commitTransactionException = new KafkaException("broker went away");
        try (var emitter = new ChangeEmitter(() -> producer)) {
            assertThatThrownBy(() -> emitter.emit(new ScanStarted("ns/j", 1, 1, Instant.EPOCH))).isInstanceOf(KafkaException.class);
        }
        assertThat(producer.transactionAborted()).isTrue();
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldReplaceAProducerThatCannotEvenAbortAfterACommitTimedOut() {
        // what a real producer does after commitTransaction times out: everything but a retried commit is refused
        var stuck = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public void abortTransaction() {
                throw new IllegalStateException("the previous call to commitTransaction timed out and must be retried");
            }
        };
        stuck.commitTransactionException = new org.apache.kafka.common.errors.TimeoutException("commit timed out");
        var fresh = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        var producers = new java.util.ArrayDeque<org.apache.kafka.clients.producer.Producer<String, byte[]>>(List.of(stuck, fresh));
        try (var emitter = new ChangeEmitter(producers::pop)) {
            assertThatThrownBy(() -> emitter.emit(new ScanStarted("ns/j", 1, 1, Instant.EPOCH))).isInstanceOf(KafkaException.class);
            emitter.emit(new ScanStarted("ns/j", 2, 1, Instant.EPOCH));
        }
        assertThat(stuck.closed()).isTrue();
        assertThat(fresh.transactionCommitted()).isTrue();
        assertThat(fresh.history()).hasSize(1);
    }

    @Test
    void shouldPrepareItsProducerBeforeTheFirstEmitAndTryAgainWhenThatFailed() throws Exception {
        var unreachable = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()) {
            @Override
            public void initTransactions() {
                throw new org.apache.kafka.common.errors.TimeoutException("no coordinator");
            }
        };
        var fresh = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        var producers = new java.util.ArrayDeque<org.apache.kafka.clients.producer.Producer<String, byte[]>>(List.of(unreachable, fresh));
        try (var emitter = new ChangeEmitter(producers::pop)) {
            emitter.prepareInBackground();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!unreachable.closed() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(unreachable.closed()).as("the producer that could not start is closed, not kept").isTrue();
            emitter.emit(new ScanStarted("ns/j", 1, 1, Instant.EPOCH));
        }
        assertThat(fresh.transactionInitialized()).isTrue();
        assertThat(fresh.history()).hasSize(1);

        var ready = new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        try (var emitter = new ChangeEmitter(() -> ready)) {
            emitter.prepareInBackground();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!ready.transactionInitialized() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(ready.transactionInitialized()).as("initialized before anything was emitted").isTrue();
            assertThat(ready.history()).isEmpty();
        }
    }

    @Test
    void shouldMakeNoProducerOnceClosedNotEvenWhenItsPreparationRunsAfterTheClose() throws Exception {
        var made = new java.util.concurrent.atomic.AtomicInteger();
        var emitter = new ChangeEmitter(() -> {
            made.incrementAndGet();
            return new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer());
        });
        // holding the emitter's lock, the preparation cannot run before the close
        synchronized (emitter) {
            emitter.prepareInBackground();
            emitter.close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("ferry-emitter-prepare")) {
                t.join();
            }
        }
        assertThat(made).as("no producer left open after the close").hasValue(0);
        assertThatThrownBy(() -> emitter.emit(new ScanStarted("ns/j", 1, 1, Instant.EPOCH)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(made).hasValue(0);
    }
}

package io.ferry.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class ConsumerThreadTest {
    @Test
    void shouldReportAThreadThatStoppedAsNotAlive() throws Exception {
        var thread = new ConsumerThread(new KafkaClients(io.ferry.schemas.KafkaConnection.plaintext("127.0.0.1:9"), 1 << 20, null), "g", "doomed") {
            @Override
            protected void subscribe() {
                throw new IllegalStateException("cannot subscribe");
            }

            @Override
            protected void handle(ConsumerRecord<byte[], byte[]> record) {
            }
        };
        thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (thread.alive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(thread.alive()).isFalse();
        assertThat(thread.name()).isEqualTo("doomed");
        thread.close();
    }
}

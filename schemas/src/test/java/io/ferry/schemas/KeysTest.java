package io.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void shouldPickThePartitionKafkasProducerPicksForTheKey() {
        String[] keys = {"ns/j|a", "ns/j|dataset/shard-1/file-000042.bin", "ns/j|日本語/ファイル", "ns/j|", "", "ns/j|a b\tc"};
        for (int partitions : new int[] {1, 3, 8, 12, 50}) {
            for (String key : keys) {
                assertThat(Keys.partition(key, partitions)).as("%s of %d", key, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
            for (int i = 0; i < 1000; i++) {
                String key = Keys.object("ns/j", "file-" + i);
                assertThat(Keys.partition(key, partitions))
                        .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
            }
        }
    }
}

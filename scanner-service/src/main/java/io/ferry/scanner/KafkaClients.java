package io.ferry.scanner;

import io.ferry.schemas.KafkaConnection;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Client properties the scanner's consumers and producers share, over its connection (bootstrap
 * servers, TLS and SASL settings).
 *
 * @param maxRecordBytes the largest record a producer may write: the topics' {@code max.message.bytes}
 * @param instanceId this instance's stable name ({@code ferry.scanner.instance-id}), null for none:
 *     its consumers join their groups as static members, so a restart under the same name gets
 *     its partitions back at once instead of after the session timeout
 */
record KafkaClients(KafkaConnection connection, int maxRecordBytes, String instanceId) {

    Properties transactionalProducer(String purpose) {
        Properties p = connection.properties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes));
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ferry-scanner-" + purpose + "-" + UUID.randomUUID());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        // A transaction here is one plan unit, open for milliseconds. Ids are not reused across
        // restarts, so what a crashed scanner left open blocks read_committed readers of those
        // partitions until this timeout: 15 s, not the default minute.
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "15000");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return p;
    }

    Properties bytesProducer() {
        Properties p = connection.properties();
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRecordBytes));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    Properties bytesConsumer(String groupId) {
        Properties p = connection.properties();
        if (groupId != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            if (instanceId != null) {
                p.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
            }
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    static String key(byte[] key) {
        return key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}

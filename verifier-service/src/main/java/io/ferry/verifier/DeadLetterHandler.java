package io.ferry.verifier;

import io.ferry.schemas.DeadLetters;
import io.ferry.schemas.Topics;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * Parks records the verifier cannot read on {@code ferry.dead-letters.v1} with the reason, and
 * goes on. Job documents are skipped without parking: the scanner parks those, once.
 */
public class DeadLetterHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = Logger.getLogger(DeadLetterHandler.class);
    private Object bootstrap;
    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        bootstrap = configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** Made on first use: Streams configures a handler per task, and most never see a bad record. */
    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        if (Topics.JOBS.equals(record.topic())) {
            return DeserializationHandlerResponse.CONTINUE;
        }
        LOG.warnf("parking %s-%d@%d on %s: %s", record.topic(), record.partition(), record.offset(), Topics.DEAD_LETTERS,
                exception.getMessage());
        try {
            producer().send(DeadLetters.of(record, String.valueOf(exception.getMessage()), "verifier-service")).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Not parked means lost: stop rather than skip silently.
            LOG.errorf(e, "could not park %s-%d@%d", record.topic(), record.partition(), record.offset());
            return DeserializationHandlerResponse.FAIL;
        }
        return DeserializationHandlerResponse.CONTINUE;
    }
}

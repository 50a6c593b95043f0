package io.ferry.schemas;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.jboss.logging.Logger;

/**
 * Kafka Streams' three error handlers in one: a record that cannot be read, that breaks a
 * processor, or whose result cannot be written is parked on {@code ferry.dead-letters.v1} (its
 * source bytes, with the reason, source topic/partition/offset and the application id as the
 * service) and the application goes on. Without them one bad record stops a Streams client, and a
 * restart replays it from the compacted topic and stops it again. Configure as
 * {@code default.deserialization.exception.handler}, {@code processing.exception.handler} and
 * {@code production.exception.handler}.
 *
 * <p>Parking is at least once: a record parked by a task that then fails is parked again when the
 * task replays it. A record that could not be parked fails the task rather than being dropped.
 */
public class ParkingExceptionHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    private static final Logger LOG = Logger.getLogger(ParkingExceptionHandler.class);

    private Map<String, ?> configs;
    private String service;
    private KafkaProducer<byte[], byte[]> producer;

    @Override
    public void configure(Map<String, ?> configs) {
        this.configs = configs;
        this.service = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        return park(DeadLetters.of(record, reason(exception), service))
                ? DeserializationHandlerResponse.CONTINUE : DeserializationHandlerResponse.FAIL;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return park(fromSource(context, "processing failed in " + context.processorNodeId() + ": " + reason(exception)))
                ? ProcessingHandlerResponse.CONTINUE : ProcessingHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        return park(fromSource(context, "writing to " + record.topic() + " failed: " + reason(exception)))
                ? ProductionExceptionHandlerResponse.CONTINUE : ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context, ProducerRecord record,
            Exception exception, SerializationExceptionOrigin origin) {
        return park(fromSource(context, "cannot serialize a record for " + record.topic() + ": " + reason(exception)))
                ? ProductionExceptionHandlerResponse.CONTINUE : ProductionExceptionHandlerResponse.FAIL;
    }

    private ProducerRecord<byte[], byte[]> fromSource(ErrorHandlerContext context, String reason) {
        return DeadLetters.of(context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), reason, service);
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private boolean park(ProducerRecord<byte[], byte[]> parked) {
        String from = DeadLetters.header(parked.headers(), DeadLetters.SOURCE_TOPIC) + "-"
                + DeadLetters.header(parked.headers(), DeadLetters.SOURCE_PARTITION) + "@"
                + DeadLetters.header(parked.headers(), DeadLetters.SOURCE_OFFSET);
        LOG.warnf("parking %s on %s: %s", from, Topics.DEAD_LETTERS, DeadLetters.header(parked.headers(), DeadLetters.REASON));
        try {
            producer().send(parked).get(30, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            // Not parked means lost: fail rather than skip silently.
            LOG.errorf(e, "could not park %s", from);
            return false;
        }
    }

    /** Made on first use: Streams configures a handler per task, and most never see a bad record. */
    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            // the app's own TLS and SASL settings: a secured cluster refuses a producer without them
            p.putAll(KafkaConnection.securityOf(configs));
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            // A parked record is as large as the record it parks: as large as the app's own producer may write.
            Object maxRequest = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRequest == null
                    ? Integer.toString(TopicSettings.DEFAULT_MAX_MESSAGE_BYTES) : maxRequest.toString());
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }
}

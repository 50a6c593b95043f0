package io.ferry.schemas;

/**
 * The consumer groups of the consumers Ferry builds itself, as ACLs, autoscalers (KEDA) and lag
 * panels name them. The Kafka Streams apps' groups are their application ids
 * ({@code quarkus.kafka-streams.application-id}: {@code ferry-scanner}, {@code ferry-verifier}).
 */
public final class ConsumerGroups {
    /** The transfer workers on {@code ferry.chunk-tasks.v1}: scale them on this group's lag. */
    public static final String TRANSFER = "ferry-transfer";
    /** The scanner's reader of {@code ferry.jobs.v1}. */
    public static final String SCANNER_JOBS = "ferry-scanner";
    /** The scanner's reader of {@code ferry.triggers.v1}. */
    public static final String SCANNER_TRIGGERS = "ferry-scanner-triggers";

    private ConsumerGroups() {
    }
}

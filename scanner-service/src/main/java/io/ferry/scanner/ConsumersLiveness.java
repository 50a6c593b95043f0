package io.ferry.scanner;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Down when a consumer thread of the scanner (job catalog, job consumer, trigger consumer) has
 * stopped: the process would answer HTTP but never act on a job or trigger again, so it must be
 * restarted. (Kafka Streams' own liveness check covers the verified-state tables.)
 */
@Liveness
@ApplicationScoped
public class ConsumersLiveness implements HealthCheck {
    @Inject
    ScannerService service;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("ferry-scanner-consumers");
        boolean up = true;
        for (ConsumerThread consumer : service.consumers()) {
            response.withData(consumer.name(), consumer.alive() ? "polling" : "stopped");
            up &= consumer.alive();
        }
        return response.status(up).build();
    }
}

package io.ferry.transfer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Down when the transfer worker's task loop has stopped: the instance would take no task again. */
@Liveness
@ApplicationScoped
public class WorkerLiveness implements HealthCheck {
    @Inject
    TransferService service;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ferry-transfer-worker").status(service.workerAlive()).build();
    }
}

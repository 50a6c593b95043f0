package io.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferry.schemas.events.Endpoints;
import io.ferry.schemas.job.StorageEndpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferMeterTest {
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TransferMeter meter = new TransferMeter(registry);

    @Test
    void shouldCountEveryJobsBytesUnderItsStoreTypesHoweverManyJobsCameAndWent() {
        int jobs = TransferMeter.MAX_URI_PAIRS * 2 + 1;
        for (int i = 0; i < jobs; i++) {
            var endpoints = new Endpoints(new StorageEndpoint("file:///data/job-" + i + "/", Map.of()),
                    new StorageEndpoint("s3://bucket-" + i + "/prefix/", Map.of()));
            meter.copied(endpoints, 10, 1_000_000);
            meter.verified(endpoints, 10);
        }
        meter.copied(new Endpoints(new StorageEndpoint("s3://a/", Map.of()), new StorageEndpoint("file:///b/", Map.of())), 7, 1);

        assertThat(registry.get("ferry.transfer.copied").tags("source_store", "file", "destination_store", "s3")
                .counter().count()).isEqualTo(10.0 * jobs);
        assertThat(registry.get("ferry.transfer.copy.duration").tags("source_store", "file", "destination_store", "s3")
                .timer().count()).isEqualTo(jobs);
        assertThat(registry.get("ferry.transfer.verified").tag("destination_store", "s3").counter().count()).isEqualTo(10.0 * jobs);
        assertThat(registry.get("ferry.transfer.copied").tags("source_store", "s3", "destination_store", "file")
                .counter().count()).isEqualTo(7);
        assertThat(registry.find("ferry.transfer.copied").counters()).as("one series per pair of store types, not per job").hasSize(2);
    }
}

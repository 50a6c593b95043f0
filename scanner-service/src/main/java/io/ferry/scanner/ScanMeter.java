package io.ferry.scanner;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What each scan took and found, per job (labels {@code namespace}, {@code job_name}): scan
 * duration by outcome and the objects each completed scan listed and planned.
 */
interface ScanMeter {
    /** A scan that listed the whole source. */
    void completed(String jobKey, Duration took, long listed, long planned);

    /** A scan that stopped on a source or destination it could not use. */
    void failed(String jobKey, Duration took);

    /** Meters in {@code registry}: {@code ferry_scanner_scan_duration_seconds}, {@code ferry_scanner_scan_objects}. */
    static ScanMeter of(MeterRegistry registry) {
        return new ScanMeter() {
            @Override
            public void completed(String jobKey, Duration took, long listed, long planned) {
                timer(jobKey, "completed").record(took);
                objects(jobKey, "listed").record(listed);
                objects(jobKey, "planned").record(planned);
            }

            @Override
            public void failed(String jobKey, Duration took) {
                timer(jobKey, "failed").record(took);
            }

            private Timer timer(String jobKey, String outcome) {
                return Timer.builder("ferry.scanner.scan.duration").description("How long a scan of a job's source took")
                        .tags(job(jobKey)).tag("outcome", outcome).register(registry);
            }

            private DistributionSummary objects(String jobKey, String kind) {
                return DistributionSummary.builder("ferry.scanner.scan.objects")
                        .description("Objects a completed scan listed at the source, or planned for copy")
                        .tags(job(jobKey)).tag("kind", kind).register(registry);
            }

            /** A job key ({@code namespace/name}, checked by the kernel) as labels. */
            private Tags job(String jobKey) {
                int slash = jobKey.indexOf('/');
                return Tags.of("namespace", jobKey.substring(0, slash), "job_name", jobKey.substring(slash + 1));
            }
        };
    }
}

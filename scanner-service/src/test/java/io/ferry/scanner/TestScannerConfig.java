package io.ferry.scanner;

import java.time.Duration;
import java.util.Optional;

/** The scanner's settings for tests that build its parts by hand: one scan at a time, a short settle poll. */
final class TestScannerConfig {
    static final ScannerConfig.Scanner SCANNER = withSettlePoll(Duration.ofMillis(50));

    /** These settings with another settle poll. */
    static ScannerConfig.Scanner withSettlePoll(Duration settlePoll) {
        return new ScannerConfig.Scanner() {
            public int maxConcurrentScans() {
                return 1;
            }

            public int batchMaxObjects() {
                return 256;
            }

            public long batchMaxBytes() {
                return 1 << 26;
            }

            public Duration settlePoll() {
                return settlePoll;
            }

            public Duration inFlightTimeout() {
                return Duration.ofMinutes(15);
            }

            public Optional<String> instanceId() {
                return Optional.empty();
            }

            public ScannerConfig.Audit audit() {
                return new ScannerConfig.Audit() {
                    public long checksPerSecond() {
                        return 100;
                    }

                    public long rehashBytesPerSecond() {
                        return 1 << 25;
                    }
                };
            }
        };
    }

    private TestScannerConfig() {
    }
}

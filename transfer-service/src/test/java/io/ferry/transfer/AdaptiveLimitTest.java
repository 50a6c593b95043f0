package io.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveLimitTest {
    @Test
    void shouldHalveOnThrottlingAndRegrowOneStepPerWindowOfSuccesses() throws Exception {
        var limit = new AdaptiveLimit(8, 3);
        limit.acquire();
        limit.release(true);
        assertThat(limit.limit()).isEqualTo(4);
        limit.acquire();
        limit.release(true);
        limit.acquire();
        limit.release(true);
        limit.acquire();
        limit.release(true);
        assertThat(limit.limit()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            limit.acquire();
            limit.release(false);
        }
        assertThat(limit.limit()).isEqualTo(2);
        for (int i = 0; i < 100; i++) {
            limit.acquire();
            limit.release(false);
        }
        assertThat(limit.limit()).isEqualTo(8);
    }

    @Test
    void shouldHoldCallsOverTheLimitUntilOneEnds() throws Exception {
        var limit = new AdaptiveLimit(2, 10);
        limit.acquire();
        limit.release(true);
        limit.acquire();
        var second = new Thread(() -> {
            try {
                limit.acquire();
                limit.release(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        second.join(300);
        assertThat(second.isAlive()).as("waits while the only permit is held").isTrue();
        limit.release(false);
        second.join(5000);
        assertThat(second.isAlive()).isFalse();
    }
}

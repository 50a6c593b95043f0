package io.ferry.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a metrics scrape to show a line: services meter what they did right after they did it. */
public final class Scrapes {
    private Scrapes() {
    }

    /**
     * Scrapes until the text contains {@code line}; returns that scrape.
     *
     * @throws AssertionError with the last scrape, when {@code wait} passes first
     */
    public static String await(Supplier<String> scrape, String line, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline) {
            metrics = scrape.get();
            if (metrics.contains(line)) {
                return metrics;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + line + " in the metrics within " + wait + ":\n" + metrics);
    }
}

package io.ferry.cli;

import io.ferry.schemas.job.JobProgress;
import io.ferry.schemas.job.JobStatus;
import io.ferry.schemas.job.Sizes;
import java.io.PrintStream;
import java.util.Locale;

/** One status line redrawn in place: bar, bytes, objects, rate. */
final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean tty;
    private long lastBytes = -1;
    private long lastNanos;
    private double rate;

    ProgressBar(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    void show(JobStatus status) {
        JobProgress p = status.progress() == null ? JobProgress.NONE : status.progress();
        long now = System.nanoTime();
        if (lastBytes >= 0 && now > lastNanos) {
            double instant = (p.bytesCopied() - lastBytes) / ((now - lastNanos) / 1e9);
            rate = rate == 0 ? instant : 0.7 * rate + 0.3 * Math.max(0, instant);
        }
        lastBytes = p.bytesCopied();
        lastNanos = now;
        double fraction = p.bytesTotal() == 0 ? (p.objectsTotal() > 0 && p.objectsInFlight() == 0 ? 1 : 0)
                : (double) p.bytesCopied() / p.bytesTotal();
        int filled = (int) Math.round(Math.min(1, fraction) * WIDTH);
        String line = String.format(Locale.ROOT, "[%s%s] %3d%%  %s / %s  %d/%d objects verified  %s/s  %s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), Math.round(fraction * 100),
                Sizes.format(p.bytesCopied()), Sizes.format(p.bytesTotal()), p.objectsVerified(), p.objectsTotal(),
                Sizes.format((long) rate), status.phase());
        if (tty) {
            out.print("\r" + line + "   ");
        } else {
            out.println(line);
        }
        out.flush();
    }

    void done() {
        if (tty) {
            out.println();
        }
    }
}

package io.ferry.schemas.job;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bandwidth limits as the OME annotation {@code ome.io/bandwidth-limit} writes them: bits per second
 * with decimal units ({@code "1Gbps"}, {@code "500Mbps"}, {@code "800kbps"}), or bytes per second as
 * a {@link Sizes size} over {@code /s} ({@code "100MB/s"}, {@code "64MiB/s"}).
 */
public final class Bandwidths {
    private static final Pattern BITS = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)BPS");

    private Bandwidths() {
    }

    /** Bytes per second; throws IllegalArgumentException with a readable message. */
    public static long parse(String text) {
        String t = text.trim();
        if (t.endsWith("/s")) {
            return positive(Sizes.parse(t.substring(0, t.length() - 2)), text);
        }
        Matcher m = BITS.matcher(t.toUpperCase(Locale.ROOT));
        if (!m.matches() || t.endsWith("Bps")) {
            throw new IllegalArgumentException("'" + text + "' is not a bandwidth (examples: 1Gbps, 500Mbps, 100MB/s)");
        }
        double bits = Double.parseDouble(m.group(1)) * switch (m.group(2)) {
            case "K" -> 1e3;
            case "M" -> 1e6;
            case "G" -> 1e9;
            case "T" -> 1e12;
            default -> 1;
        };
        return positive((long) (bits / 8), text);
    }

    private static long positive(long bytesPerSecond, String text) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("'" + text + "' is no bandwidth at all");
        }
        return bytesPerSecond;
    }
}

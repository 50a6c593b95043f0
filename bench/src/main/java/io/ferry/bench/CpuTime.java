package io.ferry.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time (user + system) of processes, the figure a noisy shared machine moves least: two runs
 * minutes apart differ in wall time by tens of percent, far less in CPU spent per object.
 */
final class CpuTime {
    /** Linux's USER_HZ, the unit of {@code /proc/PID/stat}'s times: 100 on every architecture Linux runs Java on. */
    private static final int TICKS_PER_SECOND = 100;

    private CpuTime() {
    }

    /** CPU time so far of each live process by name; a process that has gone, or one the OS will not say, is left out. */
    static Map<String, Duration> of(Map<String, Long> pids) {
        Map<String, Duration> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                .ifPresent(d -> cpu.put(name, d)));
        return cpu;
    }

    /**
     * CPU time of this process's children that have exited and been waited for ({@code cutime} +
     * {@code cstime}): read before and after a {@link Process#waitFor}, the difference is what that
     * child spent. Empty where there is no {@code /proc}.
     */
    static java.util.Optional<Duration> ofReapedChildren() {
        try {
            String[] fields = statFields();
            return java.util.Optional.of(ticks(fields[16 - 3]).plus(ticks(fields[17 - 3])));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** This process's CPU time so far, user and system apart. */
    record OfThisProcess(Duration user, Duration system) {
    }

    /** This process's CPU time so far ({@code utime}, {@code stime}); zero where there is no {@code /proc}. */
    static OfThisProcess ofThisProcess() {
        try {
            String[] fields = statFields();
            return new OfThisProcess(ticks(fields[14 - 3]), ticks(fields[15 - 3]));
        } catch (IOException | RuntimeException e) {
            return new OfThisProcess(Duration.ZERO, Duration.ZERO);
        }
    }

    /** The fields of {@code /proc/self/stat} from the state (field 3) on. */
    private static String[] statFields() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // the command name (field 2) may hold spaces; fields from the state (3) on follow its ')'
        return stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    }

    private static Duration ticks(String field) {
        return Duration.ofMillis(Long.parseLong(field) * 1000 / TICKS_PER_SECOND);
    }

    /** Seconds with one decimal, as the tables print them. */
    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}

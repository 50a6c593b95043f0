package io.ferry.jobs;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * {@code spec.schedule}: a cron expression of five fields (minute, hour, day of month, month, day of
 * week) as Kubernetes CronJobs and OME's examples write it ({@code "0 2 * * *"}), read in UTC.
 */
public final class Schedules {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    private Schedules() {
    }

    /** @throws IllegalArgumentException saying what is wrong with the expression */
    public static void check(String schedule) {
        execution(schedule);
    }

    /** The first time after {@code after} that the schedule names. */
    public static Instant next(String schedule, Instant after) {
        return execution(schedule).nextExecution(after.atZone(ZoneOffset.UTC))
                .orElseThrow(() -> new IllegalArgumentException("spec.schedule '" + schedule + "' names no time after " + after))
                .toInstant();
    }

    private static ExecutionTime execution(String schedule) {
        if (schedule == null || schedule.isBlank() || schedule.length() > 200) {
            throw new IllegalArgumentException("a cron expression of five fields: minute hour day-of-month month day-of-week");
        }
        try {
            return ExecutionTime.forCron(UNIX.parse(schedule.strip()).validate());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a cron expression of five fields (minute hour day-of-month month day-of-week): "
                    + e.getMessage());
        }
    }
}

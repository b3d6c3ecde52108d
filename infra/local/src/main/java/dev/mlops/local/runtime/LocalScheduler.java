package dev.mlops.local.runtime;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fires the template's schedules as EventBridge would: {@code rate(N unit)} every N units from the stack's start,
 * {@code cron(minutes hours day-of-month month day-of-week year)} at its times (UTC), {@code at(...)} once; each
 * firing invokes the function asynchronously with a {@code Scheduled Event} (Lambda's attempts for an asynchronous
 * event), and is written to {@code <home>/logs/events/schedules.log}.
 *
 * <p>With a speed-up of N, schedule time runs N times faster than the clock from the stack's start (rate(1 hour)
 * at 3600 fires every second), for demos and tests.
 */
public final class LocalScheduler implements AutoCloseable {

    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+(minute|minutes|hour|hours|day|days)\\s*\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.+)\\)");
    private static final Pattern AT = Pattern.compile("at\\((\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})\\)");
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /** A schedule's next firing, in schedule time and on the clock. */
    public record NextFiring(StackModel.Schedule schedule, String function, Instant at) {
    }

    private final StackModel model;
    private final Map<String, FunctionHost> hostsByLogicalId;
    private final double speedup;
    private final Instant start;
    private final Path log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-schedules");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ExecutorService delivery = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "schedule-delivery");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param model            the template (its schedules)
     * @param hostsByLogicalId the functions
     * @param speedup          schedule time per clock time (1: as the template says)
     * @param logDir           where schedules.log is written
     */
    public LocalScheduler(StackModel model, Map<String, FunctionHost> hostsByLogicalId, double speedup, Path logDir)
            throws IOException {
        this.model = model;
        this.hostsByLogicalId = hostsByLogicalId;
        this.speedup = speedup;
        this.start = Instant.now();
        Files.createDirectories(logDir);
        this.log = logDir.resolve("schedules.log");
        for (StackModel.Schedule s : model.schedules()) {
            next(s, start); // refuses an expression it cannot read now, not at the first firing
            arm(s, start);
        }
    }

    /** When each schedule fires next, on the clock. */
    public List<NextFiring> nextFirings() {
        return nextFirings(model, start, speedup, Instant.now());
    }

    /** When each schedule of a stack started at {@code start} with {@code speedup} fires next after {@code now}. */
    public static List<NextFiring> nextFirings(StackModel model, Instant start, double speedup, Instant now) {
        List<NextFiring> out = new ArrayList<>();
        Instant scheduleNow = start.plusNanos((long) (Duration.between(start, now).toNanos() * speedup));
        for (StackModel.Schedule s : model.schedules()) {
            next(s.expression(), start, scheduleNow).ifPresent(t -> out.add(new NextFiring(s, s.functionId(),
                    start.plusNanos((long) (Duration.between(start, t).toNanos() / speedup)))));
        }
        return out;
    }

    /** The stack's start, from which rates count. */
    public Instant start() {
        return start;
    }

    private void arm(StackModel.Schedule schedule, Instant after) {
        Optional<Instant> next = next(schedule, after);
        if (next.isEmpty()) {
            return;
        }
        Instant due = next.get();
        long delay = Math.max(0, Duration.between(Instant.now(), clockTime(due)).toMillis());
        try {
            timer.schedule(() -> {
                try {
                    delivery.execute(Surviving.of("firing schedule " + schedule.name(), () -> fire(schedule)));
                } finally {
                    arm(schedule, due); // the next firing is armed whatever became of this one
                }
            }, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the stack is stopping
        }
    }

    private void fire(StackModel.Schedule schedule) {
        FunctionHost host = hostsByLogicalId.get(schedule.functionId());
        if (host == null) {
            record(schedule, "dropped (no such function)");
            return;
        }
        byte[] event = Events.scheduled(schedule, Map.of());
        int attempts = model.asyncAttempts(schedule.functionId());
        for (int attempt = 1; attempt <= attempts; attempt++) {
            FunctionHost.Result result = host.invoke(event);
            if (!result.failed()) {
                record(schedule, "delivered");
                return;
            }
            System.err.println("[schedules] " + schedule.name() + " -> " + schedule.functionId() + " failed (attempt "
                    + attempt + "/" + attempts + "): " + result.error().summary());
        }
        record(schedule, "dropped");
    }

    private synchronized void record(StackModel.Schedule schedule, String outcome) {
        try {
            Files.writeString(log, Instant.now() + " " + schedule.name() + " " + schedule.functionId() + " "
                    + schedule.expression() + " " + outcome + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[schedules] cannot record a firing: " + e.getMessage());
        }
    }

    private Instant clockTime(Instant scheduleTime) {
        return start.plusNanos((long) (Duration.between(start, scheduleTime).toNanos() / speedup));
    }

    /** The first firing strictly after {@code after} (schedule time), if the expression fires again. */
    Optional<Instant> next(StackModel.Schedule schedule, Instant after) {
        return next(schedule.expression(), start, after);
    }

    /**
     * The first firing of an EventBridge schedule expression strictly after {@code after}: a rate counts from
     * {@code origin}; a cron is read as Quartz with its seconds at 0 (EventBridge's six fields, UTC).
     *
     * @throws IllegalArgumentException naming the expression when it is not one EventBridge accepts
     */
    static Optional<Instant> next(String expression, Instant origin, Instant after) {
        String e = expression.trim();
        Matcher rate = RATE.matcher(e);
        if (rate.matches()) {
            long n = Long.parseLong(rate.group(1));
            ChronoUnit unit = switch (rate.group(2).toLowerCase(Locale.ROOT).replaceAll("s$", "")) {
                case "minute" -> ChronoUnit.MINUTES;
                case "hour" -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            Duration period = unit.getDuration().multipliedBy(n);
            if (n == 0) {
                throw new IllegalArgumentException("schedule " + expression + ": a rate must be positive");
            }
            long periods = Duration.between(origin, after).toNanos() / period.toNanos() + 1;
            return Optional.of(origin.plus(period.multipliedBy(Math.max(1, periods))));
        }
        Matcher cron = CRON.matcher(e);
        if (cron.matches()) {
            try {
                ExecutionTime times = ExecutionTime.forCron(QUARTZ.parse("0 " + cron.group(1).trim()));
                return times.nextExecution(ZonedDateTime.ofInstant(after, ZoneOffset.UTC)).map(ZonedDateTime::toInstant);
            } catch (IllegalArgumentException bad) {
                throw new IllegalArgumentException("schedule " + expression + ": not an EventBridge cron expression ("
                        + bad.getMessage() + ")", bad);
            }
        }
        Matcher at = AT.matcher(e);
        if (at.matches()) {
            Instant once = java.time.LocalDateTime.parse(at.group(1)).toInstant(ZoneOffset.UTC);
            return once.isAfter(after) ? Optional.of(once) : Optional.empty();
        }
        throw new IllegalArgumentException("schedule " + expression + ": expected rate(N minutes|hours|days), "
                + "cron(minutes hours day-of-month month day-of-week year) or at(yyyy-mm-ddThh:mm:ss)");
    }

    @Override
    public void close() {
        timer.shutdownNow();
        delivery.shutdownNow();
    }
}

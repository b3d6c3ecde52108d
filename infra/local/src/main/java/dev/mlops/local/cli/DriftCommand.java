package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.drift.ColumnDrift;
import dev.mlops.core.drift.DriftConfig;
import dev.mlops.core.drift.DriftHtml;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.FileComparison;
import dev.mlops.core.drift.Verdict;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.template.StackModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ./mlops drift ...}: the drift monitoring of served models, and the same rule on two files. */
@Command(name = "drift",
        description = "Check served models for drift, compare two files, list past checks.",
        subcommands = {DriftCommand.Check.class, DriftCommand.Compare.class, DriftCommand.History.class},
        synopsisSubcommandLabel = "COMMAND")
final class DriftCommand extends CommandGroup {

    private static final String DRIFT_HANDLER = "dev.mlops.functions.drift.DriftCheckHandler";

    /** {@code drift check}: fires the drift schedule now instead of waiting for EventBridge. */
    @Command(name = "check",
            description = {"Run the scheduled drift check now.",
                    "Prints each check's verdicts, live quality, retraining and report; exit code 1 when the function "
                            + "failed."})
    static final class Check extends BaseCommand {

        @Option(names = "--model", paramLabel = "NAME", converter = NameConverter.Model.class,
                description = "Check this model only (default: every model).")
        String model;

        @Option(names = "--html", paramLabel = "REPORT.html",
                description = "Also save the check's report page (drift.html) here; needs --model.")
        Path html;

        @Override
        public Integer call() throws Exception {
            if (html != null && model == null) {
                throw usageError("--html needs --model (one check, one page)");
            }
            try (Session session = openSession()) {
                Session.Invocation result = fireDriftSchedule(session, model);
                if (!result.failed() && html != null) {
                    JsonNode check = Json.MAPPER.readTree(result.payload()).path("checks").path(0);
                    Files.write(html, session.store().find(check.path("report_html_key").asText()).orElseThrow()
                            .bytes());
                }
                if (json()) {
                    print(parseOrText(result.payload()));
                } else if (result.failed()) {
                    out().println(result.payload());
                } else {
                    for (JsonNode check : Json.MAPPER.readTree(result.payload()).path("checks")) {
                        out().println(summary(check, session.bucket()));
                    }
                    if (html != null) {
                        out().println("report page: " + html);
                    }
                }
                return result.failed() ? MlopsCommand.FAILED : MlopsCommand.OK;
            }
        }
    }

    /** One check for people: verdicts, what was read, the retraining, where the report is. */
    static String summary(JsonNode c, String bucket) {
        StringBuilder s = new StringBuilder();
        s.append(c.path("model").asText()).append(" v").append(c.path("model_version").asInt()).append(": ")
                .append(c.path("verdict").asText());
        if (c.path("drifted_features").size() > 0) {
            List<String> names = new ArrayList<>();
            c.path("drifted_features").forEach(n -> names.add(n.asText()));
            s.append(" (").append(String.join(", ", names)).append(')');
        }
        s.append(String.format(Locale.ROOT, " on %,d rows · live quality %s", c.path("samples").asLong(),
                c.path("quality").asText()));
        JsonNode r = c.path("retraining");
        if (!r.isMissingNode() && !r.isNull()) {
            s.append("\n  retraining ").append(r.path("status").asText());
            if (r.hasNonNull("run_id")) {
                s.append(": run ").append(r.path("run_id").asText());
            }
            s.append("\n  ").append(r.path("reason").asText());
        }
        s.append("\n  report s3://").append(bucket).append('/').append(c.path("report_key").asText());
        if (c.hasNonNull("report_html_key")) {
            s.append("\n         s3://").append(bucket).append('/').append(c.path("report_html_key").asText());
        }
        return s.toString();
    }

    /** {@code drift compare}: the check's rule on two CSV files, no stack needed. */
    @Command(name = "compare",
            description = {"Compare two CSV files with the drift check's own code and rule.",
                    "The reference is profiled as ingest profiles an upload; the current file is streamed.",
                    "Exit code 0 when no drift (or not enough data), 1 when DRIFTED, 2 on a usage error."})
    static final class Compare extends BaseCommand {

        @Option(names = "--reference", paramLabel = "A.csv", required = true, description = "The reference file.")
        Path reference;

        @Option(names = "--current", paramLabel = "B.csv", required = true, description = "The current file.")
        Path current;

        @Option(names = "--label", paramLabel = "COLUMN",
                description = "The label column, compared as the label distribution (default: label, when present).")
        String label;

        @Option(names = "--config", paramLabel = "CONFIG.json",
                description = "A dataset config whose \"drift\" section sets the rule (default: the defaults).")
        Path config;

        @Option(names = "--html", paramLabel = "REPORT.html", description = "Also write the report page here.")
        Path html;

        @Override
        public Integer call() throws Exception {
            requireFile(reference);
            requireFile(current);
            DriftConfig rule = DriftConfig.defaults();
            if (config != null) {
                rule = readJsonFile(config, PipelineConfig.class).drift();
            }
            DriftResult result;
            try {
                result = FileComparison.compare(() -> Files.newInputStream(reference), () -> Files.newInputStream(current),
                        label, rule);
            } catch (IllegalArgumentException e) {
                throw usageError(e.getMessage());
            }
            if (html != null) {
                Files.writeString(html, DriftHtml.render("Drift: " + current.getFileName() + " against "
                        + reference.getFileName(), List.of("reference " + reference, "current " + current), result,
                        List.of()), StandardCharsets.UTF_8);
            }
            int code = result.verdict() == Verdict.DRIFTED ? MlopsCommand.FAILED : MlopsCommand.OK;
            if (json()) {
                print(result);
                return code;
            }
            out().println(table(result));
            if (html != null) {
                out().println("report page: " + html);
            }
            return code;
        }
    }

    /** The verdict, then one line per column. */
    static String table(DriftResult r) {
        StringBuilder s = new StringBuilder();
        s.append(r.verdict()).append(": ").append(r.reason()).append('\n');
        s.append(String.format(Locale.ROOT, "%-24s %-12s %-10s %-9s %-28s %s%n", "column", "test", "statistic",
                "p (adj.)", "distance / threshold", "verdict"));
        Map<String, ColumnDrift> columns = new LinkedHashMap<>(r.columns());
        if (r.prediction() != null) {
            columns.put("(label)", r.prediction());
        }
        columns.forEach((name, c) -> s.append(String.format(Locale.ROOT, "%-24s %-12s %-10s %-9s %-28s %s%n",
                name.length() > 24 ? name.substring(0, 23) + "…" : name, c.test() == null ? "-" : c.test(),
                c.statistic() == null ? "-" : String.format(Locale.ROOT, "%.4g", c.statistic()),
                c.pValueAdjusted() == null ? "-" : String.format(Locale.ROOT, "%.2g", c.pValueAdjusted()),
                c.distance() == null ? "-" : String.format(Locale.ROOT, "%s %.3f / %.2f", c.distanceName(),
                        c.distance(), c.threshold()), c.verdict())));
        return s.toString().stripTrailing();
    }

    /** {@code drift history}: a model's past checks, newest first. */
    @Command(name = "history", description = "List a model's drift checks, newest first.")
    static final class History extends BaseCommand {

        @Option(names = "--model", paramLabel = "NAME", required = true, converter = NameConverter.Model.class,
                description = "The model.")
        String model;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "At most N checks (default 20).")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 1) {
                throw usageError("--limit must be at least 1");
            }
            try (Session session = openSession()) {
                List<DriftCheck> checks = session.driftChecks().history(model, limit);
                if (json()) {
                    print(Map.of("model", model, "checks", checks));
                    return MlopsCommand.OK;
                }
                if (checks.isEmpty()) {
                    out().println(model + ": no drift checks yet (./mlops drift check --model " + model + ")");
                }
                for (DriftCheck c : checks) {
                    DriftCheck.Retraining r = c.retraining();
                    out().println(String.format(Locale.ROOT, "%s  v%d  %-15s %,9d rows  quality %-15s %s%s", c.checkId(),
                            c.modelVersion(), c.verdict() == null ? (c.driftDetected() ? "DRIFTED" : "NO_DRIFT")
                                    : c.verdict(), c.samples(), c.quality() == null ? "-" : c.quality(),
                            c.driftedFeatures().isEmpty() ? "" : c.driftedFeatures() + " ",
                            r == null ? "" : "retraining " + r.status() + (r.runId() == null ? "" : " " + r.runId())));
                }
                return MlopsCommand.OK;
            }
        }
    }

    /** When the template's drift schedule runs the next check on this stack (while it runs). */
    static java.util.Optional<dev.mlops.local.runtime.LocalScheduler.NextFiring> nextScheduledCheck(Session session) {
        return dev.mlops.local.runtime.LocalScheduler.nextFirings(session.model(),
                        java.time.Instant.parse(session.info().startedAt()), session.info().scheduleSpeedup(),
                        java.time.Instant.now()).stream()
                .filter(n -> session.model().function(n.function()).handler().startsWith(DRIFT_HANDLER + "::"))
                .findFirst();
    }

    /** Fires the template's schedule bound to the drift check function, as EventBridge would. */
    static Session.Invocation fireDriftSchedule(Session session, String model) throws IOException {
        StackModel.Schedule schedule = session.model().schedules().stream()
                .filter(s -> session.model().function(s.functionId()).handler().startsWith(DRIFT_HANDLER + "::"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("template.yaml schedules no " + DRIFT_HANDLER));
        Map<String, Object> detail = model == null ? Map.of() : Map.of("model", model);
        return session.invoke(schedule.functionId(), Events.scheduled(schedule, detail));
    }
}

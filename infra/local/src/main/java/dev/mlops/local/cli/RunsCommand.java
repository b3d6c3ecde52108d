package dev.mlops.local.cli;

import dev.mlops.core.Json;
import dev.mlops.core.domain.Run;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.search.Leaderboard;
import dev.mlops.core.registry.ModelCard;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code ./mlops runs ...}: pipeline runs. */
@Command(name = "runs",
        description = "Pipeline runs: list them, show one with its leaderboard, retry a failed one.",
        subcommands = {RunsCommand.List.class, RunsCommand.Show.class, RunsCommand.Retry.class},
        synopsisSubcommandLabel = "COMMAND")
final class RunsCommand extends CommandGroup {

    /** {@code runs list}: the most recent runs. */
    @Command(name = "list", description = {"List the most recent runs, newest first."})
    static final class List extends BaseCommand {

        @Option(names = "--dataset", paramLabel = "NAME", converter = NameConverter.Dataset.class,
                description = "Only this dataset's runs.")
        String dataset;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N runs (default 20).")
        int limit;

        @Override
        public Integer call() throws Exception {
            if (limit < 1) {
                throw usageError("--limit must be at least 1, got " + limit);
            }
            try (Session session = openSession()) {
                java.util.List<Run> runs = session.runs().recent(dataset, limit);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("runs", runs.stream().map(RunsCommand::summary).toList());
                StringBuilder human = new StringBuilder(String.format(Locale.ROOT, "%-50s %-14s %-8s %s%n",
                        "run", "status", "version", "started"));
                for (Run r : runs) {
                    human.append(String.format(Locale.ROOT, "%-50s %-14s %-8s %s%n", r.runId(), r.status(),
                            r.version() == null ? "-" : r.model() + " v" + r.version(), r.startedAt()));
                }
                if (runs.isEmpty()) {
                    human.append("no runs").append(dataset == null ? "" : " of " + dataset);
                }
                return report(out, human.toString().stripTrailing(), MlopsCommand.OK);
            }
        }
    }

    private static Map<String, Object> summary(Run r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run_id", r.runId());
        m.put("dataset", r.dataset());
        m.put("model", r.model());
        m.put("status", r.status());
        m.put("version", r.version());
        m.put("started_at", r.startedAt().toString());
        m.put("ended_at", r.endedAt() == null ? null : r.endedAt().toString());
        return m;
    }

    /** {@code runs show RUN_ID}: the run as recorded, and the leaderboard of its candidates. */
    @Command(name = "show", description = {"Show a run: status, versions, reason or error, and the leaderboard",
            "of its candidates (ranked by validation score, as the registered one was chosen).",
            "Exit code 1 when there is no such run."})
    static final class Show extends BaseCommand {

        @Parameters(paramLabel = "RUN_ID", description = "The run id (the execution name).")
        String runId;

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                var run = session.runs().find(runId);
                if (run.isEmpty()) {
                    return report(Map.of("error", "there is no run " + runId), "there is no run " + runId,
                            MlopsCommand.FAILED);
                }
                Map<String, Object> out = Json.tree(run.get());
                Leaderboard board = Leaderboard.of(ModelCard.records(session.store(), run.get().model(), runId));
                out.put("leaderboard", board.entries());
                out.put("selection_metric", board.selectionMetric());
                String human = describe(run.get()) + "\n\nleaderboard (" + board.entries().size() + " candidates, "
                        + "ranked by validation " + board.selectionMetric() + "):\n" + (board.entries().isEmpty()
                        ? "  no candidate has finished training yet" : board.table().stripTrailing());
                return report(out, human, MlopsCommand.OK);
            }
        }

        private static String describe(Run r) {
            StringBuilder s = new StringBuilder("run " + r.runId() + ": " + r.status() + " (attempt " + r.attempt()
                    + (r.retryOf() == null ? "" : ", retries " + r.retryOf()) + ")\n");
            s.append("  dataset ").append(r.dataset()).append(" version ").append(r.datasetVersion()).append('\n');
            s.append("  model ").append(r.model()).append(r.version() == null ? "" : " v" + r.version())
                    .append(r.productionVersion() == null ? "" : "; production v" + r.productionVersion()).append('\n');
            s.append("  started ").append(r.startedAt()).append(r.endedAt() == null ? "" : ", ended " + r.endedAt());
            if (r.request() != null && r.request().cause() != null) {
                s.append("\n  started by drift check ").append(r.request().cause().checkId()).append(" (")
                        .append(r.request().cause().verdict()).append("), report ").append(r.request().cause().report());
            }
            if (r.reason() != null) {
                s.append("\n  reason: ").append(r.reason());
            }
            if (r.error() != null) {
                s.append("\n  error: ").append(r.error()).append(": ").append(r.cause());
            }
            return s.toString();
        }
    }

    /** {@code runs retry RUN_ID}: a new attempt of a failed run, through the registry function. */
    @Command(name = "retry", description = {"Start a new attempt of a FAILED, ABORTED or TIMED_OUT run (a RUNNING one",
            "whose execution ended is reconciled first), with its own execution name, linked to the run it",
            "retries (through the registry function's retry_run action). Exit code 1 when it cannot be retried."})
    static final class Retry extends BaseCommand {

        @Parameters(paramLabel = "RUN_ID", description = "The run's id.")
        String runId;

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                Session.Invocation result = session.invoke("RegistryFunction",
                        Json.bytes(new RegistryTask.RetryRun(runId)));
                Object payload = parseOrText(result.payload());
                if (result.failed()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("run_id", runId);
                    out.put("error", payload);
                    return report(out, "cannot retry " + runId + ": " + errorMessage(payload), MlopsCommand.FAILED);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> out = (Map<String, Object>) Json.MAPPER.convertValue(payload, Map.class);
                return report(out, "retrying " + runId + " as " + out.get("new_run_id") + " (attempt "
                        + out.get("attempt") + ")", MlopsCommand.OK);
            }
        }

        private static String errorMessage(Object payload) {
            if (payload instanceof com.fasterxml.jackson.databind.JsonNode node && node.has("errorMessage")) {
                return node.path("errorMessage").asText();
            }
            return String.valueOf(payload);
        }
    }
}

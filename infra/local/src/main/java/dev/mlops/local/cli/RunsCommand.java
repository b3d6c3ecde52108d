package dev.mlops.local.cli;

import dev.mlops.core.Json;
import dev.mlops.core.domain.Run;
import dev.mlops.core.pipeline.RegistryTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./mlops runs ...}: pipeline runs. */
@Command(name = "runs",
        description = "Pipeline runs: show one, retry a failed one.",
        subcommands = {RunsCommand.Show.class, RunsCommand.Retry.class},
        synopsisSubcommandLabel = "COMMAND")
final class RunsCommand extends CommandGroup {

    /** {@code runs show RUN_ID}: the run as recorded. */
    @Command(name = "show", description = {"Show a run: status, versions, reason or error.",
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
                return report(out, describe(run.get()), MlopsCommand.OK);
            }
        }

        private static String describe(Run r) {
            StringBuilder s = new StringBuilder("run " + r.runId() + ": " + r.status() + " (attempt " + r.attempt()
                    + (r.retryOf() == null ? "" : ", retries " + r.retryOf()) + ")\n");
            s.append("  dataset ").append(r.dataset()).append(" version ").append(r.datasetVersion()).append('\n');
            s.append("  model ").append(r.model()).append(r.version() == null ? "" : " v" + r.version())
                    .append(r.productionVersion() == null ? "" : "; production v" + r.productionVersion()).append('\n');
            s.append("  started ").append(r.startedAt()).append(r.endedAt() == null ? "" : ", ended " + r.endedAt());
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

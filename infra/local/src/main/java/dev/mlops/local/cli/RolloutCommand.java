package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.registry.RegistryCommand;
import dev.mlops.core.registry.RegistryQuery;
import dev.mlops.core.registry.RegistryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/**
 * {@code ./mlops models rollout ...}: a model's rollout (a challenger beside production, docs/rollout.md), shown,
 * started, aborted or promoted by a person. Each is one action of the registry function, like every {@code models}
 * command: the same compare-and-set, audit entry and event as the scheduled check's own decisions.
 */
@Command(name = "rollout", description = "A model's rollout: show, start, abort, promote.",
        subcommands = {RolloutCommand.Show.class, RolloutCommand.Start.class, RolloutCommand.Abort.class,
                RolloutCommand.Promote.class},
        synopsisSubcommandLabel = "COMMAND")
final class RolloutCommand extends CommandGroup {

    @Command(name = "show", description = {"The model's rollout (under way, or the last that ended) and the last",
            "check's decision and evidence, each figure with its 95 %% interval."})
    static final class Show extends ModelsCommand.RegistryCall {

        @Parameters(paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Override
        RegistryRequest request() {
            return new RegistryQuery.ShowRollout(model);
        }

        @Override
        String human(JsonNode a) {
            String production = a.path("production_version").isNull() || a.path("production_version").isMissingNode()
                    ? "none" : "v" + a.path("production_version").asInt();
            JsonNode r = a.path("rollout");
            if (r.isMissingNode() || r.isNull()) {
                return "model " + model + ": production " + production + ", no rollout yet";
            }
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "model %s: production %s%n  rollout %s v%d"
                            + " beside v%d, %s at %.1f %% of requests (step %d), started %s by %s",
                    model, production, r.path("strategy").asText(), r.path("challenger").asInt(),
                    r.path("production").asInt(), r.path("status").asText(), 100 * r.path("share").asDouble(),
                    r.path("step").asInt() + 1, r.path("started_at").asText(), r.path("actor").asText()));
            if (!r.path("ended_at").isMissingNode()) {
                s.append(String.format("%n  ended %s by %s: %s", r.path("ended_at").asText(),
                        r.path("ended_by").asText(), r.path("end_reason").asText()));
            }
            JsonNode c = r.path("last_check");
            if (c.isMissingNode()) {
                return s.append(String.format("%n  not checked yet")).toString();
            }
            JsonNode e = c.path("evidence");
            s.append(String.format("%n  last check %s at %s: %s (%s)", c.path("check_id").asText(), c.path("at").asText(),
                    c.path("decision").asText(), c.path("reason").asText()));
            s.append(String.format(Locale.ROOT, "%n  requests    %d by production alone, %d with the challenger"
                            + " (%d failed)", e.path("production_requests").asLong(), e.path("challenger_requests")
                    .asLong(), e.path("challenger_errors").asLong()));
            s.append(line("error rate", e.path("error_rate")));
            s.append(line("agreement", e.path("agreement"))).append(" on ").append(e.path("compared").asLong())
                    .append(" rows");
            s.append(line("drift (JS)", e.path("prediction_drift")));
            String metric = e.path("metric").asText();
            s.append(line("challenger", e.path("challenger_score"))).append(" ").append(metric).append(" on ")
                    .append(e.path("labelled").asLong()).append(" labelled rows");
            s.append(line("production", e.path("production_score"))).append(" ").append(metric);
            s.append(line("gain", e.path("gain")));
            s.append(String.format("%n  report      %s", c.path("report_key").asText()));
            return s.toString();
        }

        private static String line(String name, JsonNode estimate) {
            if (estimate.isMissingNode() || estimate.isNull()) {
                return String.format("%n  %-11s no data", name);
            }
            return String.format(Locale.ROOT, "%n  %-11s %.3f (95 %% interval %.3f-%.3f)", name,
                    estimate.path("value").asDouble(), estimate.path("low").asDouble(), estimate.path("high").asDouble());
        }
    }

    @Command(name = "start", description = {"Start a rollout of VERSION beside production, under its dataset's",
            "rollout policy (or --strategy, --share). Only a blessed version that is not rejected, unless --force",
            "with a --reason. Exit code 1 on a conflict or a refusal (a rollout is under way: abort it first)."})
    static final class Start extends ModelsCommand.ChangeCommand {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The challenger.")
        int version;

        @Option(names = "--strategy", paramLabel = "shadow|canary", description = "Instead of the policy's strategy.")
        String strategy;

        @Option(names = "--share", paramLabel = "SHARE", description = "The first share of requests, above 0 and at"
                + " most 1 (canary: the later steps are the policy's above it).")
        Double share;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
        String reason;

        @Option(names = "--force", description = "Roll out a version that is NOT_BLESSED or REJECTED (needs --reason).")
        boolean force;

        @Override
        RegistryRequest request() {
            if (force && (reason == null || reason.isBlank())) {
                throw usageError("--force needs --reason TEXT: the audit trail keeps why a rule was overridden");
            }
            return new RegistryCommand.StartRollout(model, ModelsCommand.version(this, version), strategy, share, null,
                    actor(), reason, force);
        }
    }

    @Command(name = "abort", description = {"Abort the model's rollout: its challenger retired, all traffic back on",
            "production. Exit code 1 when there is none under way."})
    static final class Abort extends Decision {

        @Override
        RegistryRequest request() {
            return new RegistryCommand.AbortRollout(model, null, actor(), reason);
        }
    }

    @Command(name = "promote", description = {"Promote the rollout's challenger now, whatever its evidence says:",
            "production moves to it from the version it was compared with. Exit code 1 on a conflict."})
    static final class Promote extends Decision {

        @Override
        RegistryRequest request() {
            return new RegistryCommand.PromoteRollout(model, null, actor(), reason);
        }
    }

    /** A person's decision on a model's rollout under way: which model, and why. */
    abstract static class Decision extends ModelsCommand.ChangeCommand {

        @Parameters(paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
        String reason;
    }
}

package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.registry.RegistryCommand;
import dev.mlops.core.registry.RegistryQuery;
import dev.mlops.core.registry.RegistryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.util.Map;

/**
 * {@code ./mlops models ...}: what a platform team does to models. Every command is one action of
 * the registry function ({@code list_models}, {@code promote_model}, ...), invoked through the
 * Lambda Invoke API like {@code runs retry}: the same code path, rules and events as on AWS.
 */
@Command(name = "models",
        description = "The model registry: list, show, history, promote, rollback, approve, reject, tag, lineage,"
                + " rollout.",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.History.class,
                ModelsCommand.Promote.class, ModelsCommand.Rollback.class, ModelsCommand.Approve.class,
                ModelsCommand.Reject.class, ModelsCommand.Tag.class, ModelsCommand.Lineage.class,
                RolloutCommand.class},
        synopsisSubcommandLabel = "COMMAND")
final class ModelsCommand extends CommandGroup {

    /** Who the audit trail names for a change from this command line. */
    static String defaultActor() {
        return "cli:" + System.getProperty("user.name", "unknown");
    }

    /** One request to the registry function, its answer printed as JSON or for people. */
    abstract static class RegistryCall extends BaseCommand {

        /** The request to send. */
        abstract RegistryRequest request();

        /** The answer for people. */
        abstract String human(JsonNode answer);

        /** Whether the answer reports success (exit code 0). */
        boolean ok(JsonNode answer) {
            return true;
        }

        @Override
        public Integer call() throws Exception {
            RegistryRequest request = request();
            try (Session session = openSession()) {
                Session.Invocation result = session.invoke("RegistryFunction", Json.bytes(request));
                JsonNode answer = Json.MAPPER.readTree(result.payload());
                if (result.failed()) {
                    String message = answer.path("errorMessage").asText(result.payload());
                    if (json()) {
                        print(Map.of("error", message, "error_type", answer.path("errorType").asText("")));
                    } else {
                        out().println("error: " + message);
                    }
                    return MlopsCommand.FAILED;
                }
                if (json()) {
                    print(answer);
                } else {
                    out().println(human(answer));
                }
                return ok(answer) ? MlopsCommand.OK : MlopsCommand.FAILED;
            }
        }
    }

    /** A command that changes the registry: its answer is a change with an outcome. */
    abstract static class ChangeCommand extends RegistryCall {

        @Option(names = "--actor", paramLabel = "WHO",
                description = "Who the audit trail names (default: cli:<your user name>).")
        String actor;

        String actor() {
            return actor != null ? actor : defaultActor();
        }

        @Override
        boolean ok(JsonNode answer) {
            String outcome = answer.path("outcome").asText();
            return "CHANGED".equals(outcome) || "UNCHANGED".equals(outcome);
        }

        @Override
        String human(JsonNode a) {
            return a.path("outcome").asText() + ": " + a.path("reason").asText()
                    + (a.path("forced").asBoolean(false) ? " (forced)" : "");
        }
    }

    static int version(BaseCommand c, int v) {
        if (v < 1) {
            throw c.usageError("VERSION must be a positive integer, got " + v);
        }
        return v;
    }

    // ------------------------------------------------------------------ questions

    @Command(name = "list", description = {"Every model: versions, production, approval policy, pending approvals."})
    static final class ListModels extends RegistryCall {

        @Override
        RegistryRequest request() {
            return new RegistryQuery.ListModels();
        }

        @Override
        String human(JsonNode a) {
            if (a.path("models").isEmpty()) {
                return "no models yet (upload a dataset: ./mlops upload FILE --dataset NAME --wait)";
            }
            StringBuilder s = new StringBuilder();
            for (JsonNode m : a.path("models")) {
                s.append(String.format("%-20s v1..v%-4d production %-6s approval %-6s%s%n", m.path("model").asText(),
                        m.path("latest_version").asInt(), m.path("production_version").isNull() ? "none"
                                : "v" + m.path("production_version").asInt(), m.path("approval_policy").asText(),
                        m.path("pending_approval").isEmpty() ? "" : "  pending " + m.path("pending_approval")));
            }
            return s.toString().stripTrailing();
        }
    }

    @Command(name = "show", description = {"A model and its versions, or one version in full.",
            "Exit code 1 when there is no such model or version."})
    static final class Show extends RegistryCall {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", arity = "0..1", description = "One version (default: all).")
        Integer version;

        @Override
        RegistryRequest request() {
            return new RegistryQuery.ShowModel(model, version == null ? null : version(this, version));
        }

        @Override
        String human(JsonNode a) {
            if (version != null) {
                JsonNode v = a.path("version");
                return "model " + model + " v" + version + (a.path("production").asBoolean() ? " (production)" : "")
                        + "\n" + pretty(v);
            }
            StringBuilder s = new StringBuilder("model " + model + ": production "
                    + (a.path("production_version").isNull() ? "none" : "v" + a.path("production_version").asInt())
                    + ", approval policy " + a.path("approval_policy").asText());
            for (JsonNode v : a.path("versions")) {
                s.append(String.format("%n  %s v%-4d %-11s accuracy %.4f  %s%s  %s", v.path("production").asBoolean()
                                ? "*" : " ", v.path("version").asInt(), v.path("verdict").asText(),
                        v.path("accuracy").asDouble(), v.path("created_at").asText(),
                        v.path("approval").isMissingNode() || v.path("approval").isNull() ? ""
                                : "  " + v.path("approval").asText(),
                        v.path("tags").isEmpty() ? "" : v.path("tags").toString()));
            }
            return s.toString();
        }

        private static String pretty(JsonNode node) {
            try {
                return BaseCommand.pretty(node);
            } catch (IOException e) {
                return node.toString();
            }
        }
    }

    @Command(name = "history", description = {"A model's audit trail: who or what, when, from which version to which, why."})
    static final class History extends RegistryCall {

        @Parameters(paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Override
        RegistryRequest request() {
            return new RegistryQuery.History(model);
        }

        @Override
        String human(JsonNode a) {
            StringBuilder s = new StringBuilder("model " + model + ": production "
                    + (a.path("production_version").isNull() ? "none" : "v" + a.path("production_version").asInt()));
            for (JsonNode e : a.path("entries")) {
                String from = e.path("from_version").isMissingNode() ? "-" : "v" + e.path("from_version").asInt();
                String to = e.path("to_version").isMissingNode() ? "-" : "v" + e.path("to_version").asInt();
                s.append(String.format("%n  %s  %-18s %-4s -> %-4s by %s%s: %s", e.path("at").asText(),
                        e.path("action").asText(), from, to, e.path("actor").asText(),
                        e.path("forced").asBoolean(false) ? " (FORCED)" : "", e.path("reason").asText("")));
            }
            return s.toString();
        }
    }

    @Command(name = "lineage", description = {"What a version was made from: dataset version, validation, profile,",
            "schema, training run and candidate, artifact sha256."})
    static final class Lineage extends RegistryCall {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The version.")
        int version;

        @Override
        RegistryRequest request() {
            return new RegistryQuery.ModelLineage(model, version(this, version));
        }

        @Override
        String human(JsonNode a) {
            JsonNode d = a.path("dataset");
            JsonNode r = a.path("run");
            JsonNode c = a.path("candidate");
            JsonNode art = a.path("artifact");
            return "model " + model + " v" + version
                    + "\n  dataset    " + d.path("dataset").asText() + " " + d.path("version").asText() + " ("
                    + d.path("status").asText("?") + ", " + d.path("rows").asText("?") + " rows)"
                    + "\n  source     " + d.path("source").path("key").asText() + " (S3 version "
                    + d.path("source").path("version_id").asText("-") + ")"
                    + "\n  validation " + d.path("validation_report").asText()
                    + "\n  profile    " + d.path("profile").asText()
                    + "\n  schema     " + d.path("schema").asText()
                    + "\n  run        " + r.path("run_id").asText() + " (" + r.path("status").asText("?") + ")"
                    + "\n  candidate  #" + c.path("index").asText("?") + " " + c.path("algorithm").asText() + " "
                    + c.path("hyper_parameters")
                    + "\n  artifact   " + art.path("model_key").asText() + " sha256 " + art.path("sha256").asText()
                    + "\n  blessing   " + a.path("blessing").path("verdict").asText() + ": "
                    + a.path("blessing").path("reason").asText();
        }
    }

    // ------------------------------------------------------------------ changes

    @Command(name = "promote", description = {"Point production at VERSION (a compare-and-set, audited, announced).",
            "Only a blessed version that is not rejected, unless --force with a --reason.",
            "Exit code 1 on a conflict (production moved) or a refusal."})
    static final class Promote extends ChangeCommand {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The version to serve.")
        int version;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
        String reason;

        @Option(names = "--force", description = "Serve a version that is NOT_BLESSED or REJECTED (needs --reason).")
        boolean force;

        @Option(names = "--expect-production", paramLabel = "VERSION",
                description = "Only if production still is this version (default: whatever it is now).")
        Integer expected;

        @Override
        RegistryRequest request() {
            if (force && (reason == null || reason.isBlank())) {
                throw usageError("--force needs --reason TEXT: the audit trail keeps why a rule was overridden");
            }
            return new RegistryCommand.Promote(model, version(this, version), expected, actor(), reason, force);
        }
    }

    @Command(name = "rollback", description = {"Point production back at the version that served before the current one",
            "(or at --to VERSION); same rules as promote. Exit code 1 on a conflict or a refusal."})
    static final class Rollback extends ChangeCommand {

        @Parameters(paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Option(names = "--to", paramLabel = "VERSION", description = "The version to go back to.")
        Integer to;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
        String reason;

        @Option(names = "--force", description = "Go back to a version that is NOT_BLESSED or REJECTED (needs --reason).")
        boolean force;

        @Override
        RegistryRequest request() {
            if (force && (reason == null || reason.isBlank())) {
                throw usageError("--force needs --reason TEXT: the audit trail keeps why a rule was overridden");
            }
            return new RegistryCommand.Rollback(model, to == null ? null : version(this, to), actor(), reason, force);
        }
    }

    @Command(name = "approve", description = {"Approve a PENDING_APPROVAL version: it is promoted from the champion it was",
            "blessed against. Exit code 1 when production moved meanwhile (conflict) or it is not pending."})
    static final class Approve extends ChangeCommand {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The pending version.")
        int version;

        @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
        String reason;

        @Override
        RegistryRequest request() {
            return new RegistryCommand.Approve(model, version(this, version), actor(), reason);
        }
    }

    @Command(name = "reject", description = {"Reject a PENDING_APPROVAL version, with the reason: it never serves",
            "unless promoted with --force."})
    static final class Reject extends ChangeCommand {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The pending version.")
        int version;

        @Option(names = "--reason", paramLabel = "TEXT", required = true, description = "Why (required).")
        String reason;

        @Override
        RegistryRequest request() {
            if (reason.isBlank()) {
                throw usageError("--reason must not be empty");
            }
            return new RegistryCommand.Reject(model, version(this, version), actor(), reason);
        }
    }

    @Command(name = "tag", description = {"Set a tag on a version (KEY=VALUE; audited, announced)."})
    static final class Tag extends ChangeCommand {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "VERSION", description = "The version.")
        int version;

        @Parameters(index = "2", paramLabel = "KEY=VALUE", description = "The tag.")
        String tag;

        @Override
        RegistryRequest request() {
            int eq = tag.indexOf('=');
            if (eq <= 0) {
                throw usageError("expected KEY=VALUE, got \"" + tag + "\"");
            }
            return new RegistryCommand.Tag(model, version(this, version), tag.substring(0, eq),
                    tag.substring(eq + 1), actor());
        }
    }
}

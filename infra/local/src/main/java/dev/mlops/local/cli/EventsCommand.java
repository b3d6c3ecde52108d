package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.local.runtime.LocalEventBus;
import dev.mlops.local.template.StackModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ./mlops events ...}: the events the stack's EventBridge rules delivered. */
@Command(name = "events",
        description = "Registry change events (EventBridge, source mlops.registry) as the template's rules deliver them.",
        subcommands = {EventsCommand.Tail.class},
        synopsisSubcommandLabel = "COMMAND")
final class EventsCommand extends CommandGroup {

    /**
     * {@code events tail}: the events delivered to the log groups that template.yaml's rules target,
     * read from the local stack's data (like {@code aws logs tail} on the log group on AWS).
     */
    @Command(name = "tail", description = {"Show the latest registry events (one line each; --json: the events).",
            "Reads what the rules delivered to their log groups; starts nothing."})
    static final class Tail extends BaseCommand {

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20",
                description = "How many of the latest events (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--model", paramLabel = "NAME", converter = NameConverter.Model.class,
                description = "Only this model's events.")
        String model;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new events until interrupted.")
        boolean follow;

        @Override
        public Integer call() throws Exception {
            if (limit < 0) {
                throw usageError("--limit must be 0 or more");
            }
            List<Path> files = new ArrayList<>();
            Path logDir = home().resolve("logs").resolve("events");
            for (StackModel.EventRule rule : StackModel.load(root().resolve("template.yaml")).eventRules()) {
                for (StackModel.EventTarget t : rule.targets()) {
                    if (t.logGroup() != null && !files.contains(LocalEventBus.logFile(logDir, t.logGroup()))) {
                        files.add(LocalEventBus.logFile(logDir, t.logGroup()));
                    }
                }
            }
            List<JsonNode> events = read(files);
            List<JsonNode> latest = events.subList(Math.max(0, events.size() - limit), events.size());
            if (json() && !follow) {
                print(latest);
                return MlopsCommand.OK;
            }
            latest.forEach(this::show);
            int seen = events.size();
            while (follow) {
                Thread.sleep(250);
                List<JsonNode> now = read(files);
                now.subList(Math.min(seen, now.size()), now.size()).forEach(this::show);
                seen = now.size();
            }
            return MlopsCommand.OK;
        }

        private List<JsonNode> read(List<Path> files) throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (Path f : files) {
                if (!Files.exists(f)) {
                    continue;
                }
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode e = Json.MAPPER.readTree(line);
                    if (model == null || model.equals(e.path("detail").path("model").asText())) {
                        out.add(e);
                    }
                }
            }
            return out;
        }

        private void show(JsonNode e) {
            if (json()) {
                out().println(e.toString());
                out().flush();
                return;
            }
            JsonNode d = e.path("detail");
            StringBuilder s = new StringBuilder(d.path("at").asText(e.path("time").asText()) + "  "
                    + String.format("%-32s", e.path("detail-type").asText()) + " " + d.path("model").asText()
                    + (d.has("version") ? " v" + d.path("version").asInt() : ""));
            String action = d.path("action").asText("");
            if (action.equals("promote") || action.equals("approve") || action.equals("rollback")) {
                s.append("  (").append(d.has("from_version") ? "v" + d.path("from_version").asInt() : "none")
                        .append(" -> ").append(d.has("to_version") ? "v" + d.path("to_version").asInt() : "none")
                        .append(')');
            }
            if (d.has("actor")) {
                s.append("  by ").append(d.path("actor").asText());
            }
            if (d.has("reason")) {
                s.append(": ").append(d.path("reason").asText());
            }
            out().println(s);
            out().flush();
        }
    }
}

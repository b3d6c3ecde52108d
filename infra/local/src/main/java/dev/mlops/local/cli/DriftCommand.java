package dev.mlops.local.cli;

import dev.mlops.local.runtime.Events;
import dev.mlops.local.template.StackModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Map;

/** {@code ./mlops drift ...}: the drift monitoring of served models. */
@Command(name = "drift",
        description = "Check served models for drift.",
        subcommands = {DriftCommand.Check.class},
        synopsisSubcommandLabel = "COMMAND")
final class DriftCommand extends CommandGroup {

    private static final String DRIFT_HANDLER = "dev.mlops.functions.drift.DriftCheckHandler";

    /** {@code drift check}: fires the drift schedule now instead of waiting for EventBridge. */
    @Command(name = "check",
            description = {"Run the scheduled drift check now.",
                    "Prints the check's result; exit code 1 when the function failed."})
    static final class Check extends BaseCommand {

        @Option(names = "--model", paramLabel = "NAME", converter = NameConverter.Model.class,
                description = "Check this model only (default: every model).")
        String model;

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                Session.Invocation result = fireDriftSchedule(session, model);
                if (json()) {
                    print(parseOrText(result.payload()));
                } else {
                    out().println(result.payload());
                }
                return result.failed() ? MlopsCommand.FAILED : MlopsCommand.OK;
            }
        }
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

package dev.mlops.local.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code ./mlops invoke FUNCTION -e EVENT_FILE}: one Lambda invocation, like {@code sam local invoke}. */
@Command(name = "invoke",
        description = {"Invoke a function with an event, like `sam local invoke`.",
                "Prints the function's payload; exit code 1 when the function failed."})
final class InvokeCommand extends BaseCommand {

    @Parameters(paramLabel = "FUNCTION", description = "The function's logical id in template.yaml.")
    String function;

    @Option(names = {"-e", "--event"}, paramLabel = "EVENT_FILE", required = true,
            description = "The event, a JSON file (samples in events/).")
    Path eventFile;

    @Override
    public Integer call() throws Exception {
        byte[] event = Files.readAllBytes(requireFile(eventFile));
        try (Session session = openSession()) {
            Session.Invocation result = session.invoke(function, event);
            if (json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("function", result.function());
                out.put("failed", result.failed());
                out.put(result.failed() ? "error" : "payload", parseOrText(result.payload()));
                print(out);
            } else {
                out().println(result.payload());
            }
            return result.failed() ? MlopsCommand.FAILED : MlopsCommand.OK;
        }
    }
}

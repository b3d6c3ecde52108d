package dev.mlops.local.cli;

import dev.mlops.local.console.ConsoleServer;
import dev.mlops.local.console.ConsoleSources;
import dev.mlops.local.console.DeployedStack;
import dev.mlops.local.runtime.DeliveryState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./mlops ui}: the read-only web console, served on this machine (like {@code mlflow ui}) over the local
 * stack, or over a deployed stack with the user's own AWS credentials.
 */
@Command(name = "ui", description = {"Serve the read-only web console: models, versions, runs compared, datasets,",
        "drift and live quality over time. Local stack by default; --stack NAME --region R reads a deployed one",
        "with your AWS credentials. Runs until Ctrl-C."})
final class UiCommand extends BaseCommand {

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5000",
            description = "The port (default 5000; 0 picks a free one).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default 127.0.0.1: this machine only).")
    String host;

    @Option(names = "--stack", paramLabel = "NAME", description = "A deployed stack to read (needs --region).")
    String stack;

    @Option(names = "--region", paramLabel = "REGION", description = "The deployed stack's region.")
    String region;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw usageError("--port must be between 0 and 65535, got " + port);
        }
        if ((stack == null) != (region == null)) {
            throw usageError("--stack and --region go together");
        }
        if (stack != null) {
            return serve(DeployedStack.open(stack, region));
        }
        try (Session session = openSession()) {
            DeliveryState deliveries = session.deliveries();
            return serve(new ConsoleSources("local stack in " + home(), session.bucket(), session.store(),
                    session.registry(), session.runs(), session.datasets(), session.driftChecks(),
                    () -> deliveries.deadLetters().stream().map(d -> new ConsoleSources.DeadLetter(d.key(),
                            d.versionId(), d.attempts(), d.at(), d.error())).toList()));
        }
    }

    private int serve(ConsoleSources sources) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        try (ConsoleServer console = ConsoleServer.start(sources, host, port)) {
            if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
                Console.progress("warning: listening on " + host + ", not loopback only: anyone who reaches it "
                        + "reads what your credentials read");
            }
            Console.progress("console of the " + sources.description() + " on " + console.url()
                    + " (read-only; Ctrl-C stops it)");
            if (json()) {
                print(Map.of("url", console.url().toString(), "stack", sources.description()));
            } else {
                out().println(console.url());
            }
            out().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "console-stop"));
            stopped.await();
        }
        return MlopsCommand.OK;
    }
}

package dev.mlops.local.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./mlops}: lists the command groups and holds the global options. The global options are
 * inherited by every subcommand, so they are accepted before or after it; picocli sets them here
 * wherever they were typed, and commands read them through {@link BaseCommand}.
 *
 * <p>A new command group is one class in this package plus one line in {@link #COMMANDS}.
 */
@Command(name = "./mlops",
        synopsisSubcommandLabel = "COMMAND",
        description = {
                "Runs the pipeline of template.yaml on this machine, without Docker or an AWS account.",
                "Commands use the stack `local up` started, or start one for their own duration.",
                "State lives in --home and carries over between runs.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:ok",
                "1:failed: the command ran and what it reports failed (pipeline run, "
                        + "prediction 4xx/5xx, function error) or it hit a runtime error",
                "2:usage error: unknown command or option, missing or bad parameter",
        },
        exitCodeOnInvalidInput = MlopsCommand.USAGE,
        exitCodeOnExecutionException = MlopsCommand.FAILED)
final class MlopsCommand extends CommandGroup {

    /**
     * The command groups, in the order the usage lists them. Added by {@link Main#commandLine} rather than named in
     * the annotation, so that a command line names only the group it runs (picocli builds each by reflection).
     */
    static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            LocalCommand.class,
            UploadCommand.class,
            InvokeCommand.class,
            PredictCommand.class,
            ExplainCommand.class,
            DriftCommand.class,
            FeedbackCommand.class,
            RunsCommand.class,
            ModelsCommand.class,
            EventsCommand.class,
            ValidateCommand.class,
            DatasetsCommand.class,
            TrainCommand.class,
            BatchCommand.class,
            UiCommand.class);

    /** The command ran and what it reports succeeded. */
    static final int OK = ExitCode.OK;
    /** The command ran and what it reports failed, or it could not run (runtime error). */
    static final int FAILED = 1;
    /** The command was called wrongly; nothing was started. */
    static final int USAGE = ExitCode.USAGE;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Print this usage and exit.")
    boolean help;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON document on stdout; progress goes to stderr.")
    boolean json;

    @Option(names = "--home", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Where state lives (default: $MLOPS_HOME or ./.mlops).")
    Path home;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Also stream the functions' logs and metrics to stderr (always in HOME/logs/functions.log).")
    boolean verbose;

    @Option(names = "--no-iam", scope = ScopeType.INHERIT,
            description = "Do not enforce the functions' IAM policies (on by default: a call template.yaml does not "
                    + "grant is AccessDenied, as on AWS).")
    boolean noIam;

    @Option(names = "--schedule-speedup", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "Fire the template's schedules N times faster (3600: rate(1 hour) every second). Default 1.")
    double scheduleSpeedup = 1;

    /** The repository the launcher runs from: template.yaml, data/ and the built jars. */
    static Path projectRoot() {
        return Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
    }

    /** {@code --home}, else {@code $MLOPS_HOME}, else {@code .mlops} in the project. */
    Path home() {
        String env = System.getenv("MLOPS_HOME");
        Path chosen = home != null ? home : env != null ? Path.of(env) : projectRoot().resolve(".mlops");
        return chosen.toAbsolutePath().normalize();
    }
}

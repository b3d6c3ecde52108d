package dev.mlops.local.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import dev.mlops.core.data.ParallelScanner;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./mlops}: the local command line. The commands are {@link MlopsCommand} and its subcommands;
 * this class wires them to the terminal: results and usage help on stdout, errors on stderr, exit codes.
 */
public final class Main {

    /** A sentence ends at a full stop, question or exclamation mark followed by the next sentence or the end. */
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?](?=\\s+[A-Z`(\\-]|$)");

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(argv));
    }

    /** Runs one command line as {@link #main} does, without exiting: its exit code. */
    static int run(String[] argv) {
        // picocli's default factory looks for Groovy's Closure class unless told not to: a class that is not there,
        // looked for in every jar of the class path (some 140, each opened and its index read for it): 25-45 ms of a
        // small validate's wall time, 65 ms of its CPU (BENCHMARKS.md, "Validate: no class looked for in every jar").
        System.setProperty("picocli.disable.closures", "true");
        primeForValidate(argv);
        Console.captureStdout();
        PrintWriter out = new PrintWriter(Console.RESULT, true);
        int code = commandLine(out, new PrintWriter(System.err, true), argv).execute(argv);
        out.flush();
        return code;
    }

    /**
     * {@code validate} of a big file: the digest's and the column sketches' code compiled
     * ({@link ParallelScanner#prime}) on a daemon thread, on the core that is idle while picocli builds the command
     * tree, before the scan's threads need it.
     * The file is the first argument after the command that is not an option; a guess that is wrong only decides
     * whether priming happens.
     */
    private static void primeForValidate(String[] argv) {
        if (argv.length < 2 || !argv[0].equals("validate")) {
            return;
        }
        for (int i = 1; i < argv.length; i++) {
            if (!argv[i].startsWith("-")) {
                try {
                    if (Files.size(Path.of(argv[i])) >= ParallelScanner.PRIME_FROM_BYTES) {
                        Thread primer = new Thread(ParallelScanner::prime, "prime-sketches");
                        primer.setDaemon(true);
                        primer.start();
                    }
                } catch (IOException | RuntimeException e) {
                    // not a file: the command says so itself
                }
                return;
            }
        }
    }

    /**
     * The command tree with this command line's conventions: {@code out} gets results and
     * {@code --help}, {@code err} gets errors; usage errors exit 2, failures 1.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * The command tree for the arguments {@code argv}: with only the command group their first argument names, or
     * with every group when it names none (no arguments, an option first, a typo, whose suggestions need them all).
     * picocli builds each command it is given by reflection over its annotations: all sixteen groups took about
     * 75 ms of every command's start (BENCHMARKS.md, "Validate: the sketches sampled, lines read in one loop, the
     * sketches primed").
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] argv) {
        CommandLine commandLine = new CommandLine(new MlopsCommand());
        Class<?> named = argv.length == 0 ? null : group(argv[0]);
        for (Class<?> group : MlopsCommand.COMMANDS) {
            if (named == null || group == named) {
                commandLine.addSubcommand(instance(group));
            }
        }
        // Whatever a command prints may hold text from data (cells, keys, reasons): no terminal controls in it,
        // not even picocli's own colours (usage help is plain text).
        commandLine.setOut(TerminalText.escaping(out, true));
        commandLine.setErr(TerminalText.escaping(err, true));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        commandLine.setParameterExceptionHandler(Main::usageError);
        commandLine.setExecutionExceptionHandler(Main::failure);
        layOut(commandLine);
        return commandLine;
    }

    private static Object instance(Class<?> group) {
        try {
            return CommandLine.defaultFactory().create(group);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the command " + group.getSimpleName(), e);
        }
    }

    /** The command group called {@code name} (or by that alias), or null. */
    private static Class<?> group(String name) {
        for (Class<?> group : MlopsCommand.COMMANDS) {
            Command command = group.getAnnotation(Command.class);
            if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
                return group;
            }
        }
        return null;
    }

    /**
     * One usage layout for every command, present and future: sections with headings, options as declared, and a
     * group's runnable commands listed each on one line with the first sentence of its description.
     */
    private static void layOut(CommandLine command) {
        command.getCommandSpec().usageMessage()
                .descriptionHeading("%n")
                .parameterListHeading("%nParameters:%n")
                .optionListHeading("%nOptions:%n")
                .commandListHeading("%nCommands:%n")
                .sortOptions(false);
        command.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                help -> help.createTextTable(leafCommands(help.commandSpec(), "", new LinkedHashMap<>())).toString());
        command.getSubcommands().values().forEach(Main::layOut);
    }

    /**
     * What a command does, for a list of commands: the first sentence of its description, whole. (picocli lists a
     * command by its description's first line, which cuts a sentence that wraps onto the next line.)
     */
    static String summary(CommandSpec command) {
        String text = String.join(" ", command.usageMessage().description()).strip().replaceAll("\\s+", " ");
        Matcher end = SENTENCE_END.matcher(text);
        return end.find() ? text.substring(0, end.end()) : text;
    }

    /** A mistake in the arguments: one line saying what, then the usage of the command it was for. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        if (!(e instanceof UnmatchedArgumentException) && !command.getUnmatchedArguments().isEmpty()) {
            // picocli checks required arguments before unknown ones; a typo ("--datset") is the cause to report.
            e = new UnmatchedArgumentException(command, command.getUnmatchedArguments());
        }
        PrintWriter err = command.getErr();
        err.println("error: " + message(e));
        err.println();
        command.usage(err);
        err.flush();
        return MlopsCommand.USAGE;
    }

    private static String message(ParameterException e) {
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched) {
            if (!unmatched.isUnknownOption() && !unmatched.getCommandLine().getSubcommands().isEmpty()
                    && !unmatched.getUnmatched().isEmpty()) {
                message = "unknown command: " + unmatched.getUnmatched().get(0);
            }
            if (!unmatched.getSuggestions().isEmpty()) {
                // picocli lists the most similar first; the runners-up share a letter pair at best ("feedback").
                message += " (did you mean " + unmatched.getSuggestions().get(0) + "?)";
            }
        }
        // picocli's messages start upper-case; ours continue "error: ".
        message = message.strip().replaceAll("\\s*\\R\\s*", " ");
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** The command could not do its work (the outcomes it reports return 1 themselves). */
    private static int failure(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (System.getenv("MLOPS_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return MlopsCommand.FAILED;
    }

    /** Every runnable command under {@code spec} ("local up", "drift check"), so the top usage lists them all. */
    private static Map<String, String> leafCommands(CommandSpec spec, String prefix, Map<String, String> rows) {
        for (CommandLine sub : new LinkedHashSet<>(spec.subcommands().values())) { // aliases map to the same one
            CommandSpec command = sub.getCommandSpec();
            if (command.usageMessage().hidden()) {
                continue;
            }
            String name = prefix + command.name();
            if (command.subcommands().isEmpty()) {
                rows.put(name, summary(command));
            } else {
                leafCommands(command, name + " ", rows);
            }
        }
        return rows;
    }
}

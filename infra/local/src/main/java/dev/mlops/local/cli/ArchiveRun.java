package dev.mlops.local.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM whose classes {@code validate}'s class-data archive holds (infra/local/validate-archive.sh): several
 * command lines, separated by a lone {@value #THEN}, run one after the other as {@link Main} runs one, so that the
 * archive holds the classes of every path they take (a small file read in one pass with --json, --config and --html;
 * a big one read in parts on every core, with the progress bar; a quoted one read by the full CSV parser). The
 * archive holds the classes one JVM loaded, and every class a run then misses is looked for in the jars of the class
 * path in order, DataSketches' among the last. Exits with the first non-zero exit code (the classes are listed
 * whatever it is).
 */
public final class ArchiveRun {

    static final String THEN = ";";

    private ArchiveRun() {
    }

    public static void main(String[] args) {
        int code = 0;
        List<String> command = new ArrayList<>();
        for (String arg : Arrays.copyOf(args, args.length + 1)) {
            if (arg == null || arg.equals(THEN)) {
                int c = Main.run(command.toArray(String[]::new));
                code = code != 0 ? code : c;
                command.clear();
            } else {
                command.add(arg);
            }
        }
        System.exit(code);
    }
}

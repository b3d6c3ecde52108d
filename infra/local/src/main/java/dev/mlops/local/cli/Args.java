package dev.mlops.local.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line arguments: positionals, {@code --flag}s and {@code --option value}s. */
final class Args {

    private static final Set<String> FLAGS = Set.of("--json", "--wait", "--help", "-h");

    final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    static Args parse(String[] argv) {
        Args a = new Args();
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (FLAGS.contains(arg)) {
                a.options.put(arg, "true");
            } else if (arg.startsWith("-") && !arg.equals("-")) {
                int eq = arg.indexOf('=');
                if (eq > 0) {
                    a.options.put(arg.substring(0, eq), arg.substring(eq + 1));
                } else if (i + 1 < argv.length) {
                    a.options.put(arg, argv[++i]);
                } else {
                    throw new UsageException("option " + arg + " needs a value");
                }
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    String option(String... names) {
        for (String n : names) {
            if (options.containsKey(n)) {
                return options.get(n);
            }
        }
        return null;
    }

    String required(String what, String... names) {
        String v = option(names);
        if (v == null) {
            throw new UsageException("missing " + names[0] + " " + what);
        }
        return v;
    }

    String positional(int i, String what) {
        if (positional.size() <= i) {
            throw new UsageException("missing " + what);
        }
        return positional.get(i);
    }

    /** A mistake in how the command was called: exit code 2 with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}

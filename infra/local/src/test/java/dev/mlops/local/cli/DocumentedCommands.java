package dev.mlops.local.cli;

import dev.mlops.local.Repo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands the README and the pages of {@code docs/} show, read from the Markdown as a reader sees it: fenced
 * blocks tagged {@code bash} run on this machine, {@code bash aws} need an AWS account; inline code spans that
 * start with {@code ./mlops} name a command in prose. {@link DocumentedCommandsTest} checks that each one parses
 * and is run; {@link DocumentedCommandsIT} runs them.
 */
final class DocumentedCommands {

    /** The info string of a block of commands that run on this machine. */
    static final String LOCAL = "bash";
    /** The info string of a block that needs an AWS account and a deployed stack: not run. */
    static final String AWS = "bash aws";
    /**
     * The info string of a block of AWS CLI calls against a running {@code ./mlops local up}: not run by the walk;
     * each call is one that {@link #CLIENTS_SCRIPT} (RealClientsIT) makes with the same CLI.
     */
    static final String CLIENTS = "bash clients";
    static final String CLIENTS_SCRIPT = "infra/local/src/test/clients/real-clients.sh";

    /**
     * Commands of {@code bash} blocks that the walk does not run, each with why and the test that runs the same
     * command instead (its source must contain the quoted words).
     */
    static final Map<String, Excuse> NOT_RUN = Map.of(
            "mvn -B verify", new Excuse("the test command: CI runs it (.ci/run), and this walk is part of it",
                    ".ci/run", "mvn -B verify"),
            "./mlops ui", new Excuse("serves until Ctrl-C: the browser test starts it on a free port after the demo, "
                    + "opens every page in Chromium and stops it",
                    "infra/local/src/test/java/dev/mlops/local/cli/ConsoleBrowserIT.java", "mlops(home, \"ui\", \"--port\""));

    /**
     * Commands named only in prose ({@code ./mlops models approve iris 4}) whose command no block runs, with why
     * and the test that runs it.
     */
    static final Map<String, Excuse> NOT_RUN_IN_PROSE = Map.of(
            "models approve", new Excuse("needs a PENDING_APPROVAL version, which the walk does not make",
                    "infra/local/src/test/java/dev/mlops/local/cli/RegistryOperationsIT.java", "\"models\", \"approve\""),
            "models reject", new Excuse("needs a PENDING_APPROVAL version, which the walk does not make",
                    "infra/local/src/test/java/dev/mlops/local/cli/RegistryOperationsIT.java", "\"models\", \"reject\""),
            "runs retry", new Excuse("needs a FAILED, ABORTED or TIMED_OUT run, which the walk does not make",
                    "infra/local/src/test/java/dev/mlops/local/cli/FaultInjectionIT.java", "\"runs\", \"retry\""));

    /** Commands the walk runs around the pages: the demo first, then a stack kept up, stopped at the end. */
    static final List<String> RUN_AROUND_THE_WALK = List.of("demo", "local up", "local down");

    /** Why a documented command is not run by the walk, and which test runs it instead. */
    record Excuse(String why, String coveredBy, String coveredByContains) {
    }

    /** A page of the documentation. */
    record Page(Path path, String text) {
        String name() {
            return Repo.root().relativize(path).toString();
        }
    }

    /** A fenced block: its info string ("bash", "bash aws", "json", ""), where it starts, its lines. */
    record Block(Page page, int line, String info, List<String> lines) {
    }

    /**
     * One command of a block: its shell text (continuation lines joined), its trailing comment, where it is.
     *
     * @param exit the exit code its comment documents as {@code (exit N)}, else 0
     */
    record Command(Page page, int line, String shell, String comment, int exit) {
        String where() {
            return page.name() + ":" + line;
        }

        /** The arguments of the {@code ./mlops} it runs, if it runs one. */
        Optional<List<String>> mlopsArgs() {
            return DocumentedCommands.mlopsArgs(shell);
        }
    }

    private DocumentedCommands() {
    }

    /** The README, then the pages of docs/ in the order of their index (docs/README.md), then the index itself. */
    static List<Page> pages() {
        List<Page> pages = new ArrayList<>();
        pages.add(page(Repo.file("README.md")));
        Page index = page(Repo.file("docs/README.md"));
        Matcher link = Pattern.compile("(?m)^\\d+\\. \\[[^]]+]\\(([^)#]+\\.md)\\)").matcher(index.text());
        while (link.find()) {
            pages.add(page(Repo.file("docs/" + link.group(1))));
        }
        pages.add(index);
        return pages;
    }

    static Page page(Path path) {
        try {
            return new Page(path, Files.readString(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of a page. */
    static List<Block> blocks(Page page) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = page.text().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("```")) {
                int start = i;
                List<String> body = new ArrayList<>();
                while (++i < lines.length && !lines[i].startsWith("```")) {
                    body.add(lines[i]);
                }
                blocks.add(new Block(page, start + 1, lines[start].substring(3).strip(), body));
            }
        }
        return blocks;
    }

    /** The commands of a block: comment lines skipped, lines ending in a backslash joined with the next. */
    static List<Command> commands(Block block) {
        List<Command> commands = new ArrayList<>();
        StringBuilder shell = new StringBuilder();
        StringBuilder comment = new StringBuilder();
        int first = -1;
        for (int i = 0; i < block.lines().size(); i++) {
            String line = block.lines().get(i);
            if (shell.isEmpty() && (line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            if (first < 0) {
                first = block.line() + 1 + i;
            }
            if (!shell.isEmpty()) {
                line = line.stripLeading(); // a continuation line's indent is layout
            }
            int hash = commentStart(line);
            String code = hash < 0 ? line : line.substring(0, hash);
            if (hash >= 0) {
                comment.append(line.substring(hash + 1).strip()).append(' ');
            }
            if (code.stripTrailing().endsWith("\\")) {
                String kept = code.stripTrailing();
                shell.append(kept, 0, kept.length() - 1).append(' ');
                continue;
            }
            shell.append(code);
            String text = shell.toString().strip().replaceAll("\\s+\\|", " |");
            Matcher exit = Pattern.compile("\\(exit (\\d)\\)").matcher(comment);
            commands.add(new Command(block.page(), first, text, comment.toString().strip(),
                    exit.find() ? Integer.parseInt(exit.group(1)) : 0));
            shell.setLength(0);
            comment.setLength(0);
            first = -1;
        }
        return commands;
    }

    /** The commands of a page's blocks of one kind. */
    static List<Command> commands(Page page, String info) {
        return blocks(page).stream().filter(b -> b.info().equals(info)).flatMap(b -> commands(b).stream()).toList();
    }

    /** Where a shell comment starts on a line ({@code #} after a space, outside quotes), or -1. */
    static int commentStart(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** The {@code ./mlops} commands named in a page's prose, as inline code spans. */
    static List<String> inlineCommands(Page page) {
        String prose = page.text().replaceAll("(?ms)^```.*?^```", "");
        List<String> found = new ArrayList<>();
        Matcher span = Pattern.compile("`(\\./mlops[^`]*)`").matcher(prose);
        while (span.find()) {
            found.add(span.group(1));
        }
        return found;
    }

    /** The arguments after {@code ./mlops} in a shell command (the part of a pipeline that runs it). */
    static Optional<List<String>> mlopsArgs(String shell) {
        List<String> words = words(shell);
        int at = words.indexOf("./mlops");
        if (at < 0) {
            return Optional.empty();
        }
        List<String> args = new ArrayList<>();
        for (String word : words.subList(at + 1, words.size())) {
            if (List.of("|", ">", "2>", "&&", ";", "&").contains(word)) {
                break;
            }
            args.add(word);
        }
        return Optional.of(args);
    }

    /** A command line split into words as a POSIX shell does for plain quoting (no expansions). */
    static List<String> words(String shell) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < shell.length(); i++) {
            char c = shell.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}

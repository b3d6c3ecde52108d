package dev.mlops.local.cli;

import dev.mlops.local.Repo;
import dev.mlops.local.cli.DocumentedCommands.Block;
import dev.mlops.local.cli.DocumentedCommands.Command;
import dev.mlops.local.cli.DocumentedCommands.Excuse;
import dev.mlops.local.cli.DocumentedCommands.Page;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The documentation as a specification: the README stays short and its test command is what CI runs; every
 * command in it and in {@code docs/} parses with the command line's own tree (a removed option or command fails
 * here); every command named in prose is run by a documented block or excused with the test that runs it; every
 * link between pages, and every anchor, resolves. {@link DocumentedCommandsIT} runs the blocks.
 */
class DocumentedCommandsTest {

    private static final List<Page> PAGES = DocumentedCommands.pages();

    private static CommandLine tree() {
        return Main.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    }

    // ------------------------------------------------------------------ the README

    @Test
    void readme_shouldStayUnder400Lines() throws IOException {
        assertThat(Files.readAllLines(Repo.file("README.md"))).hasSizeLessThan(400);
    }

    @Test
    void ciRun_shouldRunTheReadmesTestCommand() throws IOException {
        // GIVEN the README's commands: the whole pipeline, and the tests
        List<String> readme = DocumentedCommands.commands(PAGES.get(0), DocumentedCommands.LOCAL).stream()
                .map(Command::shell).toList();
        assertThat(readme).startsWith("./mlops demo", "mvn -B verify");

        // WHEN .ci/run is read / THEN it runs the README's test command as it is written
        assertThat(Files.readAllLines(Repo.file(".ci/run"))).contains("mvn -B verify");
    }

    // ------------------------------------------------------------------ blocks and commands

    @Test
    void everyBlockOfCommands_shouldSayWhereItRuns() {
        for (Page page : PAGES) {
            for (Block block : DocumentedCommands.blocks(page)) {
                String where = page.name() + ":" + block.line();
                // GIVEN a fenced block / THEN a shell block is either local or needs an account
                if (block.info().matches("(?i)(bash|sh|shell|console|zsh).*")) {
                    assertThat(block.info()).as(where).isIn(DocumentedCommands.LOCAL, DocumentedCommands.AWS,
                            DocumentedCommands.CLIENTS);
                }
                // AND ./mlops is never hidden in a block that is not run
                if (!block.info().equals(DocumentedCommands.LOCAL)) {
                    assertThat(block.lines()).as(where + " (" + block.info() + ")")
                            .noneMatch(line -> line.strip().startsWith("./mlops ") || line.contains("| ./mlops "));
                }
            }
        }
    }

    @Test
    void everyClientCallAgainstTheLocalStack_shouldBeOneTheClientScriptMakes() throws IOException {
        String script = Files.readString(Repo.file(DocumentedCommands.CLIENTS_SCRIPT));
        Pattern call = Pattern.compile("^aws (?:--endpoint-url \\S+ )?([a-z0-9-]+) ([a-z0-9-]+)");
        int calls = 0;
        for (Page page : PAGES) {
            for (Block block : DocumentedCommands.blocks(page)) {
                if (!block.info().equals(DocumentedCommands.CLIENTS)) {
                    continue;
                }
                for (String line : block.lines()) {
                    Matcher m = call.matcher(line.strip());
                    if (m.find()) {
                        // GIVEN an AWS CLI call the page shows against local up / THEN RealClientsIT's script makes it
                        String made = "aws " + m.group(1) + " " + m.group(2);
                        assertThat(script).as(page.name() + ":" + block.line() + " `" + made + "`").contains(made);
                        calls++;
                    }
                }
            }
        }
        assertThat(calls).as("client calls documented").isPositive();
    }

    @TestFactory
    Stream<DynamicTest> everyMlopsCommandOfABlock_shouldParse() {
        return localCommands().stream().filter(c -> c.mlopsArgs().isPresent())
                .map(c -> DynamicTest.dynamicTest(c.where() + " " + c.shell(), () -> {
                    // GIVEN a command as the documentation writes it
                    String[] args = c.mlopsArgs().orElseThrow().toArray(String[]::new);
                    // WHEN picocli parses it with the command line's tree / THEN it is a known command, its options
                    // exist and its required parameters are there
                    assertThatCode(() -> tree().parseArgs(args)).as(c.where()).doesNotThrowAnyException();
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyMlopsCommandInProse_shouldNameARealCommandAndRealOptions() {
        return PAGES.stream().flatMap(page -> DocumentedCommands.inlineCommands(page).stream()
                .map(span -> DynamicTest.dynamicTest(page.name() + ": `" + span + "`", () -> {
                    // GIVEN a command named in a sentence, with placeholders (RUN_ID, FILE) for its values
                    List<String> words = DocumentedCommands.words(span);
                    // WHEN it is walked down the command tree
                    Resolved resolved = resolve(words.subList(1, words.size()));
                    // THEN each option it names is one of that command's (or a global one)
                    for (String word : resolved.rest()) {
                        if (word.startsWith("-") && !word.equals("-")) {
                            assertThat(resolved.command().getCommandSpec().findOption(word.split("=")[0]))
                                    .as(span + ": option " + word).isNotNull();
                        } else if (!resolved.command().getSubcommands().isEmpty()) {
                            assertThat(word).as(span + ": a placeholder or a command of "
                                    + resolved.path()).matches("[A-Z][A-Z_]*");
                        }
                    }
                })));
    }

    @Test
    void everyCommandInProse_shouldBeRunByABlockOrExcused() {
        // GIVEN the commands the blocks run, and those the walk runs around them
        Set<String> run = new LinkedHashSet<>(DocumentedCommands.RUN_AROUND_THE_WALK);
        localCommands().forEach(c -> c.mlopsArgs().ifPresent(args -> run.add(resolve(args).path())));
        for (Page page : PAGES) {
            for (String span : DocumentedCommands.inlineCommands(page)) {
                List<String> words = DocumentedCommands.words(span);
                String path = resolve(words.subList(1, words.size())).path();
                // THEN a command named in prose is run, or excused with the test that runs it
                assertThat(run.contains(path) || DocumentedCommands.NOT_RUN_IN_PROSE.containsKey(path))
                        .as(page.name() + ": `" + span + "` (" + path + ") is run by no block and not excused").isTrue();
            }
        }
    }

    @Test
    void everyExcuse_shouldNameATestThatRunsTheCommand_andStillBeNeeded() throws IOException {
        Map<String, Excuse> excuses = new HashMap<>(DocumentedCommands.NOT_RUN);
        excuses.putAll(DocumentedCommands.NOT_RUN_IN_PROSE);
        for (Map.Entry<String, Excuse> e : excuses.entrySet()) {
            // GIVEN an excuse / THEN the test it names exists and runs the command
            Path test = Repo.file(e.getValue().coveredBy());
            assertThat(Files.readString(test)).as(e.getKey() + " in " + test).contains(e.getValue().coveredByContains());
        }
        // AND each excuse of a block's command matches a documented command
        Set<String> documented = localCommands().stream().map(Command::shell).collect(Collectors.toSet());
        assertThat(documented).containsAll(DocumentedCommands.NOT_RUN.keySet());
    }

    // ------------------------------------------------------------------ pages and links

    @Test
    void everyPageOfDocs_shouldBeInTheIndex() throws IOException {
        Set<Path> indexed = PAGES.stream().map(Page::path).collect(Collectors.toSet());
        try (Stream<Path> files = Files.list(Repo.file("docs"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".md"))).allMatch(indexed::contains);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLink_shouldReachAFileAndItsAnchor() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : markdownFiles()) {
            Page page = DocumentedCommands.page(file);
            String prose = page.text().replaceAll("(?ms)^```.*?^```", "").replaceAll("`[^`\n]*`", "");
            Matcher link = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(prose);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("(?i)(https?|mailto):.*")) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest(page.name() + " -> " + target, () -> {
                    // GIVEN a link between the repository's files
                    String pathPart = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                    Path to = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
                    // THEN the file exists, and so does the heading its anchor names
                    assertThat(to).as(target).exists();
                    if (target.contains("#") && to.toString().endsWith(".md")) {
                        assertThat(anchors(to)).as(target).contains(target.substring(target.indexOf('#') + 1));
                    }
                }));
            }
        }
        return tests.stream();
    }

    /** The anchors GitHub makes of a page's headings: lower case, punctuation dropped, spaces to dashes. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        String text = Files.readString(page).replaceAll("(?ms)^```.*?^```", "");
        Matcher heading = Pattern.compile("(?m)^#{1,6} +(.+?) *#*$").matcher(text);
        while (heading.find()) {
            String slug = Normalizer.normalize(heading.group(1), Normalizer.Form.NFC).replaceAll("`", "")
                    .replaceAll("\\[([^]]*)]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.root())) {
            return files.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> Repo.root().relativize(p).toString().split("/")[0].matches("[^.].*"))
                    .filter(p -> !p.toString().contains("/node_modules/") && !p.toString().contains("/target/"))
                    .sorted().toList();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static List<Command> localCommands() {
        return PAGES.stream().flatMap(p -> DocumentedCommands.commands(p, DocumentedCommands.LOCAL).stream()).toList();
    }

    /** How far {@code words} go down the command tree: the command reached, its path, the words after it. */
    record Resolved(CommandLine command, String path, List<String> rest) {
    }

    static Resolved resolve(List<String> words) {
        CommandLine command = tree();
        List<String> path = new ArrayList<>();
        int i = 0;
        for (; i < words.size(); i++) {
            CommandLine sub = command.getSubcommands().get(words.get(i));
            if (sub == null) {
                if (words.get(i).startsWith("-")) {
                    continue; // a global option before the command (--json demo)
                }
                break;
            }
            command = sub;
            path.add(words.get(i));
        }
        List<String> rest = new ArrayList<>(words.subList(i, words.size()));
        // global options typed before the command belong to it too
        words.subList(0, i).stream().filter(w -> w.startsWith("-")).forEach(rest::add);
        return new Resolved(command, String.join(" ", path), rest);
    }
}

package dev.mlops.local.cli;

import dev.mlops.core.Json;
import dev.mlops.core.data.CsvFormatException;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.TrainingSettings;
import dev.mlops.core.search.CandidateRecord;
import dev.mlops.core.search.Leaderboard;
import dev.mlops.core.search.LocalSearch;
import dev.mlops.core.search.TrainingReportHtml;
import dev.mlops.core.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./mlops train FILE --label COL}: the pipeline's search on this machine, with the same code
 * (candidates from the config, the same trainer, the same ranking), without emulators.
 */
@Command(name = "train",
        description = {"Train every candidate of the search on a CSV, here, and print the leaderboard.",
                "Candidates come from --config (the dataset's config.json; defaults without it).",
                "With --test, the whole FILE trains and validates and every row of the test file tests.",
                "Exit code 1 when no candidate trained."})
final class TrainCommand extends BaseCommand {

    @Parameters(paramLabel = "FILE", description = "The CSV to train on.")
    Path file;

    @Option(names = "--label", paramLabel = "COLUMN", required = true, description = "The label column.")
    String label;

    @Option(names = "--task", paramLabel = "TASK",
            description = "classification or regression (default: inferred from the label's values, as an upload's).")
    String task;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A config.json (its training section); unknown fields are errors.")
    Path config;

    @Option(names = "--test", paramLabel = "FILE",
            description = "A separate test CSV with the same columns (a fixed split, say).")
    Path test;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write every candidate's artifacts (DIR/<index>/), leaderboard.json and report.html.")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        requireFile(file);
        if (test != null) {
            requireFile(test);
        }
        TrainingSettings settings = TrainingSettings.defaults();
        if (config != null) {
            settings = readJsonFile(config, PipelineConfig.class).training();
        }
        CsvTable train = read(file);
        CsvTable testTable = test == null ? null : read(test);
        if (train.columnIndex(label) < 0) {
            throw usageError("label column \"" + label + "\" is not in " + file + "; its columns: "
                    + String.join(", ", train.header()));
        }
        LocalSearch.Outcome outcome;
        try (Progress search = Progress.count("training search", -1, "candidates")) {
            outcome = LocalSearch.run(train, testTable, label, task, settings, line -> {
                search.say(line);
                search.step();
            });
        } catch (IllegalArgumentException e) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", file.toString());
            out.put("error", e.getMessage());
            return report(out, "cannot train on " + file + ": " + e.getMessage(), MlopsCommand.FAILED);
        }
        if (outDir != null) {
            write(outcome, outDir);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.toString());
        if (test != null) {
            out.put("test_file", test.toString());
        }
        out.put("label", label);
        out.put("task", outcome.schema().task());
        out.put("candidates", outcome.candidates().size());
        out.put("selection_metric", outcome.leaderboard().selectionMetric());
        out.put("folds", outcome.candidates().get(0).folds());
        out.put("wall_millis", outcome.wallMillis());
        out.put("leaderboard", outcome.leaderboard().entries());
        outcome.leaderboard().selected().ifPresent(e -> out.put("best", e));
        if (outDir != null) {
            out.put("out", outDir.toAbsolutePath().toString());
        }
        boolean trained = outcome.leaderboard().selected().isPresent();
        return report(out, human(outcome), trained ? MlopsCommand.OK : MlopsCommand.FAILED);
    }

    private CsvTable read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return CsvParser.parse(in, CsvLimits.DEFAULT);
        } catch (CsvFormatException e) {
            throw usageError(path + ": " + e.getMessage());
        }
    }

    private String human(LocalSearch.Outcome o) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%d candidates on %s (%s), selected by %s on %s, in %.1f s%n",
                o.candidates().size(), file, o.schema().task(), o.leaderboard().selectionMetric(),
                o.candidates().get(0).folds() > 0 ? o.candidates().get(0).folds() + "-fold cross-validation"
                        : "the validation rows", o.wallMillis() / 1000.0));
        s.append(o.leaderboard().table());
        boolean regression = o.schema().regression();
        o.leaderboard().selected().ifPresentOrElse(e -> s.append(regression
                        ? String.format(Locale.ROOT, "best: #%d %s, test RMSE %.4f, MAE %.4f, R² %.4f",
                        e.candidateIndex(), e.algorithm(), e.testScore("rmse"), e.testScore("mae"), e.testScore("r2"))
                        : String.format(Locale.ROOT, "best: #%d %s, test accuracy %.4f, macro-F1 %.4f",
                        e.candidateIndex(), e.algorithm(), e.testAccuracy(), e.testMacroF1())),
                () -> s.append("no candidate trained"));
        if (outDir != null) {
            s.append("\nartifacts, leaderboard.json and report.html in ").append(outDir);
        }
        return s.toString();
    }

    private void write(LocalSearch.Outcome o, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (CandidateRecord r : o.records()) {
            Path c = Files.createDirectories(dir.resolve(Integer.toString(r.candidateIndex())));
            Files.write(c.resolve("candidate.json"), Json.prettyBytes(r));
            TrainingResult result = o.results().get(r.candidateIndex());
            if (result != null) {
                Files.write(c.resolve("model.tribuo"), result.artifact().bytes());
                Files.write(c.resolve("signature.json"), Json.prettyBytes(result.signature()));
                Files.write(c.resolve("metrics.json"), Json.prettyBytes(CandidateRecord.MetricsDocument.of(
                        r.spec().selectionMetric(), result)));
                Files.writeString(c.resolve("provenance.json"), result.provenanceJson());
            }
        }
        Leaderboard board = o.leaderboard();
        Files.write(dir.resolve("leaderboard.json"), Json.prettyBytes(board));
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("data", file + (test == null ? "" : ", tested on " + test));
        facts.put("selected by", board.selectionMetric());
        facts.put("wall time", String.format(Locale.ROOT, "%.1f s", o.wallMillis() / 1000.0));
        Files.write(dir.resolve("report.html"), TrainingReportHtml.render("training leaderboard: " + file.getFileName(), facts, board,
                o.best().map(TrainingResult::metrics).orElse(null),
                o.importance()));
    }
}

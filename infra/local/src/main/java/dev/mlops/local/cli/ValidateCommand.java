package dev.mlops.local.cli;

import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.data.Anomaly;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.DatasetScan;
import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.data.FileRanges;
import dev.mlops.core.data.ParallelScanner;
import dev.mlops.core.data.ValidationConfig;
import dev.mlops.core.data.ValidationReportHtml;
import dev.mlops.core.data.Schema;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.PipelineConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mlops validate FILE}: the ingest function's checks on a local file, without uploading it. The same
 * code ({@link DatasetScanner}) reads, validates and profiles the file, in parts on every core
 * ({@link ParallelScanner}), with one pass's result.
 */
@Command(name = "validate",
        description = {"Validate a CSV with the ingest function's checks, without uploading it.",
                "Against the accepted schema of --dataset (from the running stack), a schema file (--schema),",
                "or, with neither, as a first upload (the schema is inferred).",
                "Exit code 0 when valid, 1 when an anomaly is an error."})
final class ValidateCommand extends BaseCommand {

    @Parameters(paramLabel = "FILE", description = "The CSV file.")
    Path file;

    /** Where the schema comes from: at most one. */
    static final class Against {
        @Option(names = "--dataset", paramLabel = "NAME", converter = NameConverter.Dataset.class,
                description = "Check against this dataset's accepted schema and config.json (needs the stack).")
        String dataset;

        @Option(names = "--schema", paramLabel = "SCHEMA.json", description = "Check against this schema file.")
        Path schema;
    }

    @ArgGroup(exclusive = true)
    Against against = new Against();

    @Option(names = "--label", paramLabel = "COLUMN",
            description = "The label column when the schema is inferred (default: label).")
    String label;

    @Option(names = "--config", paramLabel = "CONFIG.json",
            description = "A dataset config (its \"validation\" section: markers, thresholds, severities).")
    Path config;

    @Option(names = "--html", paramLabel = "REPORT.html", description = "Also write the report page here.")
    Path html;

    @Override
    public Integer call() throws Exception {
        requireFile(file);
        if (against.schema != null) {
            requireFile(against.schema);
        }
        if (config != null) {
            requireFile(config);
        }
        if (label != null && (against.schema != null || against.dataset != null)) {
            throw usageError("--label names the label of an inferred schema; the schema of --dataset or --schema"
                    + " names its own");
        }
        // Only the config's validation section: the defaults of the rest (training's families) take Tribuo to build.
        ValidationConfig validation = ValidationConfig.defaults();
        Schema schema = null;
        String source;
        if (config != null) {
            validation = readJsonFile(config, PipelineConfig.class).validation();
        }
        if (against.schema != null) {
            schema = readJsonFile(against.schema, Schema.class);
        }
        if (against.dataset != null) {
            try (Session session = openSession()) {
                if (config == null) {
                    validation = session.store().findJson(Layout.config(against.dataset), PipelineConfig.class)
                            .map(PipelineConfig::validation).orElse(ValidationConfig.defaults());
                }
                Optional<Schema> accepted = session.store().findJson(Layout.schema(against.dataset), Schema.class);
                schema = accepted.orElse(null);
                if (schema == null) {
                    Console.progress("dataset " + against.dataset + " has no accepted schema yet: inferring it, as"
                            + " its first upload would");
                }
            }
        }
        source = schema == null ? "inferred" : against.dataset != null ? "accepted" : "given";
        DatasetScanner.Mode mode = schema != null ? new DatasetScanner.Mode.Validate(schema)
                : new DatasetScanner.Mode.Infer(label == null ? IngestionService.DEFAULT_LABEL : label);
        DatasetScan scan;
        long size = Files.size(file);
        try (Progress progress = size < Progress.BYTES_WORTH_SHOWING ? null
                : Progress.bytes("validate " + file.getFileName(), size)) {
            scan = ParallelScanner.scan(new FileRanges(file), mode, validation,
                    Runtime.getRuntime().availableProcessors(), progress == null ? null : progress::stepTo);
        }
        DatasetReport report = DatasetReport.of(against.dataset, null, null, scan, source);
        if (html != null) {
            Files.writeString(html, ValidationReportHtml.render(report, scan.schema(), scan.profile()), StandardCharsets.UTF_8);
        }
        int code = scan.valid() ? MlopsCommand.OK : MlopsCommand.FAILED;
        if (json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("valid", scan.valid());
            out.put("rows", scan.rows());
            out.put("columns", scan.columns());
            out.put("sha256", scan.sha256());
            out.put("complete", scan.complete());
            out.put("schema_source", scan.schema() == null ? null : source);
            out.put("anomalies", Json.MAPPER.convertValue(scan.anomalies(), java.util.List.class));
            out.put("schema", scan.schema() == null ? null : Json.tree(scan.schema()));
            out.put("profile", scan.profile() == null ? null : summary(scan.profile()));
            if (html != null) {
                out.put("report_html", html.toString());
            }
            print(out);
            return code;
        }
        out().println(summary(file, scan, source, html));
        return code;
    }

    /** The profile without the reservoir samples and serialised sketches (they are in the stored profile.json). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> summary(dev.mlops.core.data.Profile profile) {
        Map<String, Object> tree = Json.tree(profile);
        ((Map<String, Object>) tree.get("features")).values().forEach(f -> {
            ((Map<String, Object>) f).remove("sample");
            ((Map<String, Object>) f).remove("sketches");
        });
        return tree;
    }

    /** The verdict, then one line per anomaly (what, where, what to do). */
    static String summary(Path file, DatasetScan scan, String source, Path html) throws IOException {
        StringBuilder s = new StringBuilder();
        s.append(file).append(": ").append(scan.valid() ? "VALID" : "INVALID").append(String.format(Locale.ROOT,
                " (%,d rows, %d columns, schema %s; %d error(s), %d warning(s))", scan.rows(), scan.columns(),
                scan.schema() == null ? "not settled" : source, scan.errors(), scan.warnings()));
        for (Anomaly a : scan.anomalies()) {
            s.append("\n  ").append(a.severity()).append(' ').append(a.kind())
                    .append(a.column() == null ? "" : " [" + a.column() + "]").append(": ").append(a.message());
        }
        if (html != null) {
            s.append("\nreport: ").append(html);
        }
        return s.toString();
    }
}

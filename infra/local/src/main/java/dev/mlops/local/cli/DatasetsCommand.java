package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.domain.DatasetVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code ./mlops datasets ...}: uploaded dataset versions and their validation reports. */
@Command(name = "datasets",
        description = "Datasets: list them, show one's versions or one version's validation report, lineage.",
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Show.class, DatasetsLineageCommand.class},
        synopsisSubcommandLabel = "COMMAND")
final class DatasetsCommand extends CommandGroup {

    /** {@code datasets list}: every dataset with its newest version. */
    @Command(name = "list", description = "List the datasets: versions, and the newest version's status.")
    static final class ListDatasets extends BaseCommand {

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                StringBuilder human = new StringBuilder(String.format(Locale.ROOT, "%-24s %8s  %-7s %10s  %-12s %s",
                        "DATASET", "VERSIONS", "NEWEST", "ROWS", "VERSION", "UPLOADED"));
                for (String name : session.datasets().datasets()) {
                    List<DatasetVersion> versions = session.datasets().versions(name);
                    DatasetVersion newest = versions.get(versions.size() - 1);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("dataset", name);
                    row.put("versions", versions.size());
                    row.put("newest", Json.tree(newest));
                    rows.add(row);
                    human.append(String.format(Locale.ROOT, "%n%-24s %8d  %-7s %,10d  %-12s %s", name, versions.size(),
                            newest.status(), newest.rows(), newest.version().substring(0, 12), newest.createdAt()));
                }
                if (rows.isEmpty()) {
                    human.setLength(0);
                    human.append("no datasets yet: ./mlops upload FILE --dataset NAME");
                }
                return report(Map.of("datasets", rows), human.toString(), MlopsCommand.OK);
            }
        }
    }

    /** {@code datasets show NAME [VERSION]}: a dataset's versions, or one version's report. */
    @Command(name = "show", description = {"Show a dataset's versions, oldest first; with VERSION (or a prefix of it),",
            "that version's validation report: its anomalies and where the report page is.",
            "Exit code 1 when there is no such dataset or version."})
    static final class Show extends BaseCommand {

        @Parameters(index = "0", paramLabel = "NAME", converter = NameConverter.Dataset.class,
                description = "The dataset.")
        String dataset;

        @Parameters(index = "1", arity = "0..1", paramLabel = "VERSION",
                description = "A version (sha256), or its first characters.")
        String version;

        @Option(names = "--latest", description = "Show the newest version's report.")
        boolean latest;

        @Option(names = "--html", paramLabel = "REPORT.html",
                description = "Also save that version's report page (self-contained HTML) here.")
        java.nio.file.Path html;

        @Override
        public Integer call() throws Exception {
            if (latest && version != null) {
                throw usageError("give a VERSION or --latest, not both");
            }
            try (Session session = openSession()) {
                List<DatasetVersion> versions = session.datasets().versions(dataset);
                if (versions.isEmpty()) {
                    return report(Map.of("error", "there is no dataset " + dataset), "there is no dataset " + dataset,
                            MlopsCommand.FAILED);
                }
                if (version == null && !latest) {
                    return report(Map.of("dataset", dataset, "versions", versions.stream().map(Json::tree).toList()),
                            versionsTable(versions), MlopsCommand.OK);
                }
                Optional<DatasetVersion> chosen = latest ? Optional.of(versions.get(versions.size() - 1))
                        : versions.stream().filter(v -> v.version().startsWith(version)).reduce((a, b) -> {
                            throw new IllegalArgumentException("more than one version starts with " + version);
                        });
                if (chosen.isEmpty()) {
                    return report(Map.of("error", "dataset " + dataset + " has no version " + version),
                            "dataset " + dataset + " has no version " + version, MlopsCommand.FAILED);
                }
                DatasetVersion v = chosen.get();
                if (html != null && v.reportHtmlKey() != null) {
                    java.nio.file.Files.write(html, session.store().find(v.reportHtmlKey()).orElseThrow().bytes());
                }
                JsonNode report = Json.MAPPER.readTree(session.store().find(v.reportKey()).orElseThrow().bytes());
                Map<String, Object> out = new LinkedHashMap<>(Json.tree(v));
                out.put("report", report);
                out.put("report_html_url", v.reportHtmlKey() == null ? null
                        : "s3://" + session.bucket() + "/" + v.reportHtmlKey());
                return report(out, describe(session, v, report) + (html == null ? "" : "\n  saved to " + html),
                        MlopsCommand.OK);
            }
        }

        private static String versionsTable(List<DatasetVersion> versions) {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-12s %-7s %10s %7s %6s %8s  %s",
                    "VERSION", "STATUS", "ROWS", "COLUMNS", "ERRORS", "WARNINGS", "UPLOADED"));
            for (DatasetVersion v : versions) {
                s.append(String.format(Locale.ROOT, "%n%-12s %-7s %,10d %7d %6s %8s  %s", v.version().substring(0, 12),
                        v.status(), v.rows(), v.columns(), v.errors() == null ? "-" : v.errors(),
                        v.warnings() == null ? "-" : v.warnings(), v.createdAt()));
            }
            return s.toString();
        }

        private static String describe(Session session, DatasetVersion v, JsonNode report) {
            StringBuilder s = new StringBuilder();
            s.append("dataset ").append(v.dataset()).append(" version ").append(v.version()).append(": ")
                    .append(v.status()).append(String.format(Locale.ROOT, " (%,d rows, %d columns)", v.rows(), v.columns()))
                    .append("\n  source s3://").append(session.bucket()).append('/').append(v.sourceKey());
            for (JsonNode a : report.path("anomalies")) {
                s.append("\n  ").append(a.path("severity").asText()).append(' ').append(a.path("kind").asText())
                        .append(a.hasNonNull("column") ? " [" + a.path("column").asText() + "]" : "").append(": ")
                        .append(a.path("message").asText());
            }
            if (report.path("anomalies").isEmpty()) {
                s.append("\n  no anomalies");
            }
            if (v.reportHtmlKey() != null) {
                s.append("\n  report page: s3://").append(session.bucket()).append('/').append(v.reportHtmlKey())
                        .append(" (--html FILE saves it)");
            }
            return s.toString();
        }
    }
}

package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.local.runtime.DeliveryState;
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
        description = "Datasets: list them, show one's versions and uploads or one version's validation report, lineage,"
                + " redrive failed uploads.",
        subcommands = {DatasetsCommand.ListDatasets.class, DatasetsCommand.Show.class, DatasetsLineageCommand.class,
                DatasetsCommand.Redrive.class},
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
    @Command(name = "show", description = {"Show a dataset's versions and its uploads' outcomes, oldest first;",
            "with VERSION (or a prefix of it), that version's validation report: its anomalies and where the",
            "report page is. Exit code 1 when there is no such dataset or version."})
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
                List<UploadOutcome> uploads = session.datasets().uploads(dataset);
                List<DeliveryState.DeadLetter> dead = session.deliveries().deadLetters().stream()
                        .filter(d -> Layout.uploadFolder(d.key()).equals(dataset)).toList();
                if (versions.isEmpty() && uploads.isEmpty() && dead.isEmpty()) {
                    return report(Map.of("error", "there is no dataset " + dataset), "there is no dataset " + dataset,
                            MlopsCommand.FAILED);
                }
                if (version == null && !latest) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("dataset", dataset);
                    out.put("versions", versions.stream().map(Json::tree).toList());
                    out.put("uploads", uploads.stream().map(Json::tree).toList());
                    out.put("dead_letters", dead.stream().map(DatasetsCommand::deadLetter).toList());
                    return report(out, versionsTable(versions) + "\n\n" + uploadsTable(uploads, dead), MlopsCommand.OK);
                }
                if (versions.isEmpty()) {
                    return report(Map.of("error", "dataset " + dataset + " has no version yet"),
                            "dataset " + dataset + " has no version yet (./mlops datasets show " + dataset
                                    + " lists its uploads)", MlopsCommand.FAILED);
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

        private static String uploadsTable(List<UploadOutcome> uploads, List<DeliveryState.DeadLetter> dead) {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-15s %-24s %-13s %s", "STATUS",
                    "RECORDED", "VERSION ID", "UPLOAD: WHAT BECAME OF IT"));
            for (UploadOutcome u : uploads) {
                String what = u.status() == UploadStatus.VALID ? "run " + u.runId()
                        : u.reason() == null ? "" : u.reason();
                s.append(String.format(Locale.ROOT, "%n%-15s %-24s %-13s %s: %s", u.status(), u.recordedAt(),
                        abbreviate(u.versionId(), 12), u.key(), what));
            }
            for (DeliveryState.DeadLetter d : dead) {
                if (uploads.stream().noneMatch(u -> u.key().equals(d.key()) && u.versionId().equals(d.versionId())
                        && u.status() == UploadStatus.FAILED_DELIVERY)) {
                    s.append(String.format(Locale.ROOT, "%n%-15s %-24s %-13s %s: dead-lettered after %d attempts: %s",
                            "FAILED_DELIVERY", d.at(), abbreviate(d.versionId(), 12), d.key(), d.attempts(), d.error()));
                }
            }
            if (uploads.isEmpty() && dead.isEmpty()) {
                s.append("\n(no upload outcome recorded)");
            }
            if (!dead.isEmpty()) {
                s.append("\n").append(dead.size()).append(" upload(s) in the dead-letter queue:"
                        + " ./mlops datasets redrive replays them once the cause is fixed");
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

    private static String abbreviate(String s, int n) {
        return s == null || s.length() <= n ? String.valueOf(s) : s.substring(0, n - 1) + "…";
    }

    private static Map<String, Object> deadLetter(DeliveryState.DeadLetter d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", d.key());
        out.put("version_id", d.versionId());
        out.put("function", d.function());
        out.put("attempts", d.attempts());
        out.put("dead_lettered_at", d.at().toString());
        out.put("error", d.error());
        return out;
    }

    /**
     * {@code datasets redrive}: replays the ingest events of the dead-letter queue, each through the function it
     * failed on (the Lambda Invoke API, as `aws lambda invoke` does with the queue's messages on AWS). A replay that
     * gets through leaves the queue; one that fails again stays, with its attempts recorded on the upload.
     */
    @Command(name = "redrive", description = {"Replay the uploads whose every ingest attempt failed (the dead-letter",
            "queue), once the cause is fixed. Exit code 1 when one of them fails again."})
    static final class Redrive extends BaseCommand {

        @Option(names = "--dataset", paramLabel = "NAME", converter = NameConverter.Dataset.class,
                description = "Only the uploads of this dataset.")
        String dataset;

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                List<DeliveryState.DeadLetter> letters = session.deliveries().deadLetters().stream()
                        .filter(d -> dataset == null || Layout.uploadFolder(d.key()).equals(dataset)).toList();
                List<Map<String, Object>> results = new ArrayList<>();
                StringBuilder human = new StringBuilder();
                int failed = 0;
                for (DeliveryState.DeadLetter letter : letters) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("key", letter.key());
                    row.put("version_id", letter.versionId());
                    Session.Invocation result = session.invoke(letter.function(), Json.MAPPER.writeValueAsBytes(letter.event()));
                    JsonNode payload = Json.MAPPER.readTree(result.payload());
                    if (result.failed()) {
                        failed++;
                        row.put("redriven", false);
                        row.put("error", payload.path("errorType").asText() + ": " + payload.path("errorMessage").asText());
                        human.append(String.format(Locale.ROOT, "still failing: %s: %s%n", letter.key(), row.get("error")));
                    } else {
                        session.deliveries().redriven(letter.id());
                        row.put("redriven", true);
                        row.put("outcomes", payload);
                        for (JsonNode o : payload) {
                            human.append(String.format(Locale.ROOT, "%s: %s%s%n", o.path("key").asText(),
                                    o.path("status").asText(), o.hasNonNull("run_id") ? " (run " + o.path("run_id").asText()
                                            + ")" : o.hasNonNull("reason") ? ": " + o.path("reason").asText() : ""));
                        }
                    }
                    results.add(row);
                }
                if (letters.isEmpty()) {
                    human.append("the dead-letter queue is empty").append(dataset == null ? "" : " for " + dataset);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("redriven", results);
                out.put("still_failing", failed);
                return report(out, human.toString().stripTrailing(), failed == 0 ? MlopsCommand.OK : MlopsCommand.FAILED);
            }
        }
    }
}

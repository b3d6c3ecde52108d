package dev.mlops.local.console;

import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.local.console.ConsoleServer.NotFound;
import dev.mlops.local.console.Markup.Section;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Datasets: every dataset, and one dataset's versions (with their validation reports), what became of each upload,
 * and the uploads in the dead-letter queue, as {@code ./mlops datasets list|show} print them.
 */
final class DatasetPages {

    private final ConsoleSources sources;

    DatasetPages(ConsoleSources sources) {
        this.sources = sources;
    }

    String list() {
        List<List<String>> rows = new ArrayList<>();
        for (String name : sources.datasets().datasets()) {
            List<DatasetVersion> versions = sources.datasets().versions(name);
            DatasetVersion newest = versions.get(versions.size() - 1);
            rows.add(List.of(Markup.link(Markup.path("datasets", name), name), String.valueOf(versions.size()),
                    Markup.badge(newest.status().name()), Markup.count(newest.rows()),
                    Markup.code(newest.version().substring(0, 12)), Markup.time(newest.createdAt()),
                    Markup.link("/runs?dataset=" + name, "runs")));
        }
        Markup body = new Markup().table(List.of("dataset", "versions", "newest", "rows", "version", "uploaded", ""),
                rows, "datasets");
        return Markup.page("Datasets", Section.DATASETS, sources.description(), List.of(), body);
    }

    String dataset(String dataset) {
        List<DatasetVersion> versions = sources.datasets().versions(dataset);
        List<UploadOutcome> uploads = sources.datasets().uploads(dataset);
        List<ConsoleSources.DeadLetter> dead = sources.deadLetters() == null ? null : sources.deadLetters().get()
                .stream().filter(d -> d.key().startsWith("incoming/" + dataset + "/")).toList();
        if (versions.isEmpty() && uploads.isEmpty() && (dead == null || dead.isEmpty())) {
            throw new NotFound("there is no dataset " + dataset);
        }
        Markup body = new Markup();
        List<String> labels = new ArrayList<>();
        List<Long> rowCounts = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (DatasetVersion v : versions) {
            labels.add(v.version().substring(0, 8));
            rowCounts.add(v.rows());
            rows.add(List.of(Markup.code(v.version().substring(0, 12)), Markup.badge(v.status().name()),
                    Markup.count(v.rows()), String.valueOf(v.columns()), v.errors() == null ? "–" : v.errors().toString(),
                    v.warnings() == null ? "–" : v.warnings().toString(), Markup.time(v.createdAt()),
                    v.reportHtmlKey() == null ? "–" : Markup.link(Markup.reportHref(v.reportHtmlKey()), "report"),
                    Markup.code(v.sourceKey())));
        }
        body.heading(2, "Versions").chart("rows-chart", "Rows per version, oldest first", Map.of("kind", "bar",
                "labels", labels, "series", List.of(ModelPages.series("rows", rowCounts)), "x", "version", "y", "rows",
                "yMin", 0));
        body.table(List.of("version", "status", "rows", "columns", "errors", "warnings", "uploaded",
                "validation", "source"), rows, "versions");

        List<List<String>> uploadRows = new ArrayList<>();
        for (UploadOutcome u : uploads) {
            String what = u.status() == UploadStatus.VALID && u.runId() != null
                    ? "run " + Markup.link(Markup.path("runs", u.runId()), u.runId())
                    : Markup.esc(u.reason() == null ? "" : u.reason());
            uploadRows.add(List.of(Markup.badge(u.status().name()), Markup.time(u.recordedAt()), Markup.code(u.key()),
                    Markup.esc(u.versionId()), String.valueOf(u.attempts()), what,
                    u.reportHtmlKey() == null ? "–" : Markup.link(Markup.reportHref(u.reportHtmlKey()), "report")));
        }
        body.heading(2, "Uploads").table(List.of("outcome", "recorded", "upload", "S3 version", "attempts",
                "what became of it", "validation"), uploadRows, "uploads");

        body.heading(2, "Dead letters");
        if (dead == null) {
            body.note("A deployed stack keeps them in its IngestDeadLetterQueue (SQS), which the console does not "
                    + "read: see docs/reliability.md.");
        } else {
            List<List<String>> deadRows = new ArrayList<>();
            for (ConsoleSources.DeadLetter d : dead) {
                deadRows.add(List.of(Markup.code(d.key()), Markup.esc(d.versionId()), String.valueOf(d.attempts()),
                        Markup.time(d.at()), Markup.esc(d.error())));
            }
            body.table(List.of("upload", "S3 version", "attempts", "dead-lettered", "error"), deadRows, "dead-letters");
            if (!dead.isEmpty()) {
                body.note("./mlops datasets redrive --dataset " + dataset + " replays them once the cause is fixed.");
            }
        }
        if (!versions.isEmpty() && versions.get(versions.size() - 1).reportHtmlKey() != null) {
            DatasetVersion newest = versions.get(versions.size() - 1);
            body.heading(2, "Validation report of the newest version").frame(newest.reportHtmlKey(),
                    "validation report of " + newest.version());
        }
        return Markup.page("Dataset " + dataset, Section.DATASETS, sources.description(),
                List.of(new String[] {"Datasets", "/datasets"}, new String[] {dataset, null}), body);
    }
}

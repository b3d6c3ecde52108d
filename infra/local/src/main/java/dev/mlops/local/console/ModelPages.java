package dev.mlops.local.console;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.registry.RegistryViews.History;
import dev.mlops.core.registry.RegistryViews.Lineage;
import dev.mlops.core.registry.RegistryViews.ModelDetail;
import dev.mlops.core.registry.RegistryViews.ModelSummary;
import dev.mlops.core.registry.RegistryViews.VersionDetail;
import dev.mlops.core.registry.RegistryViews.VersionSummary;
import dev.mlops.local.console.Markup.Section;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models, one model (its versions, what serves, its audit trail) and one version (metrics, card, lineage, its
 * report pages): the registry's own answers ({@code RegistryQueries}), as {@code ./mlops models list|show|history|
 * lineage} print them.
 */
final class ModelPages {

    private final ConsoleSources sources;

    ModelPages(ConsoleSources sources) {
        this.sources = sources;
    }

    String list() {
        List<List<String>> rows = new ArrayList<>();
        for (ModelSummary m : sources.queries().list().models()) {
            rows.add(List.of(Markup.link(Markup.path("models", m.model()), m.model()), String.valueOf(m.versions()),
                    "v" + m.latestVersion(), m.productionVersion() == null ? "none" : Markup.link(
                            Markup.path("models", m.model(), "versions", m.productionVersion().toString()),
                            "v" + m.productionVersion()),
                    Markup.esc(m.approvalPolicy()), m.pendingApproval().isEmpty() ? ""
                            : Markup.esc(m.pendingApproval().toString()),
                    Markup.link(Markup.path("models", m.model(), "monitoring"), "monitoring")));
        }
        Markup body = new Markup().table(List.of("model", "versions", "latest", "production", "approval",
                "pending approval", ""), rows, "models");
        if (rows.isEmpty()) {
            body.note("No models yet: upload a dataset (./mlops upload FILE --dataset NAME --wait).");
        }
        return Markup.page("Models", Section.MODELS, sources.description(), List.of(), body);
    }

    String model(String model) {
        ModelDetail d = sources.queries().show(model);
        History history = sources.queries().history(model);
        Markup body = new Markup();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("production", d.productionVersion() == null ? "none" : Markup.link(Markup.path("models", model,
                "versions", d.productionVersion().toString()), "v" + d.productionVersion()));
        facts.put("rollout", rollout(sources.queries().rollout(model).rollout()));
        facts.put("approval policy", Markup.esc(d.approvalPolicy()));
        facts.put("monitoring", Markup.link(Markup.path("models", model, "monitoring"),
                "drift and live quality over time"));
        body.facts(facts);

        List<String> labels = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        List<Double> f1 = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (VersionSummary v : d.versions()) {
            labels.add("v" + v.version());
            accuracy.add(v.accuracy());
            f1.add(v.macroF1());
            rows.add(List.of(Markup.link(Markup.path("models", model, "versions", String.valueOf(v.version())),
                            "v" + v.version()) + (v.production() ? " <span class=\"badge PRODUCTION\">production</span>" : ""),
                    Markup.badge(v.verdict()), Markup.number(v.accuracy(), 4), Markup.number(v.macroF1(), 4),
                    v.approval() == null ? "–" : Markup.badge(v.approval()), Markup.esc(v.tags().isEmpty() ? ""
                            : v.tags().toString()), Markup.time(v.createdAt()),
                    v.runId() == null ? "–" : Markup.link(Markup.path("runs", v.runId()), v.runId()),
                    Markup.esc(v.reason())));
        }
        body.heading(2, "Versions").chart("versions-chart", "Test accuracy and macro-F1 per version", Map.of(
                "kind", "bar", "labels", labels, "series", List.of(series("test accuracy", accuracy),
                        series("test macro-F1", f1)), "x", "version", "y", "score on the test rows", "yMin", 0,
                "yMax", 1));
        body.table(List.of("version", "blessing", "accuracy", "macro-F1", "approval", "tags", "registered", "run",
                "why"), rows, "versions");
        body.heading(2, "Audit trail").table(List.of("when", "action", "from", "to", "by", "reason"),
                auditRows(history.entries()), "audit");
        return Markup.page("Model " + model, Section.MODELS, sources.description(),
                List.of(new String[] {"Models", "/models"}, new String[] {model, null}), body);
    }

    /** The rollout under way (or how the last one ended) and its last check, as {@code models rollout show}. */
    static String rollout(Rollout r) {
        if (r == null) {
            return "none: the production alias serves every request";
        }
        if (!r.active()) {
            return "none under way; the last, " + Markup.esc(r.strategy() + " v" + r.challenger()) + ", "
                    + Markup.badge(r.status().name()) + " " + Markup.time(r.endedAt()) + " by " + Markup.esc(r.endedBy())
                    + ": " + Markup.esc(r.endReason());
        }
        Rollout.Check check = r.lastCheck();
        return Markup.esc(r.describe()) + ", since " + Markup.time(r.startedAt()) + (check == null
                ? "; no check yet" : "; last check " + Markup.time(check.at()) + ": " + Markup.badge(check.decision())
                + " " + Markup.esc(check.reason()));
    }

    static List<List<String>> auditRows(List<AuditEntry> entries) {
        List<List<String>> rows = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            AuditEntry e = entries.get(i);
            rows.add(List.of(Markup.time(e.at()), Markup.esc(e.action()) + (Boolean.TRUE.equals(e.forced())
                            ? " (forced)" : ""), e.fromVersion() == null ? "–" : "v" + e.fromVersion(),
                    e.toVersion() == null ? "–" : "v" + e.toVersion(), Markup.esc(e.actor()), Markup.esc(e.reason())));
        }
        return rows;
    }

    String version(String model, int version) {
        VersionDetail d = sources.queries().show(model, version);
        Lineage lineage = sources.queries().lineage(model, version);
        ModelVersion v = d.version();
        Markup body = new Markup();
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("serving", d.production() ? "<span class=\"badge PRODUCTION\">production</span>"
                : "no (production is " + (d.productionVersion() == null ? "none" : "v" + d.productionVersion()) + ")");
        facts.put("blessing", Markup.badge(v.blessing().verdict().name()) + " " + Markup.esc(v.blessing().reason()));
        facts.put("approval", v.approval() == null ? "–" : Markup.badge(v.approval().status().name()));
        facts.put("family", Markup.esc(v.training().algorithm() + " " + v.training().hyperParameters()));
        facts.put("test accuracy", Markup.number(v.training().accuracy(), 4) + " (macro-F1 "
                + Markup.number(v.training().macroF1(), 4) + ", " + v.training().testRows() + " test rows, "
                + v.training().trainRows() + " training rows)");
        facts.put("tags", Markup.esc(v.tags().isEmpty() ? "none" : v.tags().toString()));
        facts.put("registered", Markup.time(v.createdAt()));
        body.facts(facts);

        body.heading(2, "Lineage");
        Map<String, String> lin = new LinkedHashMap<>();
        Object dataset = lineage.dataset().get("dataset");
        Object datasetVersion = lineage.dataset().get("version");
        lin.put("dataset", dataset == null ? "–" : Markup.link(Markup.path("datasets", dataset.toString()),
                dataset.toString()) + " " + Markup.code(String.valueOf(datasetVersion)) + " ("
                + Markup.esc(String.valueOf(lineage.dataset().get("status"))) + ", "
                + Markup.esc(String.valueOf(lineage.dataset().get("rows"))) + " rows)");
        Object runId = lineage.run().get("run_id");
        lin.put("run", runId == null ? "–" : Markup.link(Markup.path("runs", runId.toString()), runId.toString())
                + " (" + Markup.esc(String.valueOf(lineage.run().get("status"))) + ")");
        lin.put("candidate", Markup.esc("#" + lineage.candidate().get("index") + " "
                + lineage.candidate().get("algorithm")));
        lin.put("artifact", Markup.code(String.valueOf(lineage.artifact().get("model_key"))) + " sha256 "
                + Markup.code(String.valueOf(lineage.artifact().get("sha256"))));
        lin.put("champion", lineage.blessing().get("champion_version") == null ? "none (first version)"
                : "v" + lineage.blessing().get("champion_version"));
        body.facts(lin);

        String prefix = Layout.modelPrefix(model, version);
        JsonNode card = sources.store().find(prefix + "model-card.json").map(o -> Json.tree(o.bytes())).orElse(null);
        JsonNode test = card == null ? null : card.path("metrics").path("test");
        if (test != null && test.path("per_class").size() > 0) {
            List<String> classes = new ArrayList<>();
            List<Double> precision = new ArrayList<>();
            List<Double> recall = new ArrayList<>();
            List<Double> f1 = new ArrayList<>();
            List<List<String>> rows = new ArrayList<>();
            test.path("per_class").properties().forEach(e -> {
                JsonNode c = e.getValue();
                classes.add(e.getKey());
                precision.add(c.path("precision").asDouble());
                recall.add(c.path("recall").asDouble());
                f1.add(c.path("f1").asDouble());
                rows.add(List.of(Markup.esc(e.getKey()), Markup.number(c.path("precision").asDouble(), 3),
                        Markup.number(c.path("recall").asDouble(), 3), Markup.number(c.path("f1").asDouble(), 3),
                        String.valueOf(c.path("support").asLong())));
            });
            body.heading(2, "Metrics (test rows)").chart("class-metrics", "Precision, recall and F1 per class",
                    Map.of("kind", "bar", "labels", classes, "series", List.of(series("precision", precision),
                                    series("recall", recall), series("F1", f1)), "x", "class", "y", "score",
                            "yMin", 0, "yMax", 1));
            body.table(List.of("class", "precision", "recall", "F1", "support"), rows, "class-metrics-table");
        }

        body.heading(2, "Report pages");
        List<List<String>> reports = new ArrayList<>();
        reports.add(List.of("training report", Markup.link(Markup.reportHref(prefix + "report.html"),
                prefix + "report.html")));
        Object validation = lineage.dataset().get("validation_report");
        if (dataset != null && datasetVersion != null) {
            String page = Layout.reportHtml(dataset.toString(), datasetVersion.toString());
            reports.add(List.of("validation report of its data", Markup.link(Markup.reportHref(page), page)));
        } else if (validation != null) {
            reports.add(List.of("validation report of its data", Markup.code(validation.toString())));
        }
        for (DriftCheck c : sources.driftChecks().history(model, 50)) {
            if (c.modelVersion() == version && c.reportHtmlKey() != null) {
                reports.add(List.of("drift check " + Markup.esc(c.checkId()) + " " + Markup.badge(c.verdict()),
                        Markup.link(Markup.reportHref(c.reportHtmlKey()), c.reportHtmlKey())));
            }
        }
        reports.add(List.of("model card", Markup.link(Markup.reportHref(prefix + "model-card.json"),
                prefix + "model-card.json")));
        body.table(List.of("what", "page"), reports, "reports");
        body.heading(2, "Training report").frame(prefix + "report.html", "training report of v" + version);
        if (card != null) {
            body.raw("<details><summary>Model card (model-card.json)</summary><pre>")
                    .text(card.toPrettyString()).raw("</pre></details>");
        }
        return Markup.page("Model " + model + " v" + version, Section.MODELS, sources.description(),
                List.of(new String[] {"Models", "/models"}, new String[] {model, Markup.path("models", model)},
                        new String[] {"v" + version, null}), body);
    }

    static Map<String, Object> series(String label, List<?> data) {
        return Map.of("label", label, "data", data);
    }
}

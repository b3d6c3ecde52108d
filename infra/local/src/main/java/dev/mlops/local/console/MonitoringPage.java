package dev.mlops.local.console;

import dev.mlops.core.monitoring.MonitoringTimeline;
import dev.mlops.core.monitoring.MonitoringTimeline.Check;
import dev.mlops.core.monitoring.MonitoringTimeline.Event;
import dev.mlops.core.monitoring.MonitoringTimeline.Score;
import dev.mlops.local.console.Markup.Section;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's monitoring over time ({@link MonitoringTimeline}): the drift score of each feature and the live quality
 * at every check, with retraining and registry changes marked on the same time axis; the checks, each with its
 * report page.
 */
final class MonitoringPage {

    private static final int CHECKS = 200;

    private final ConsoleSources sources;

    MonitoringPage(ConsoleSources sources) {
        this.sources = sources;
    }

    String page(String model) {
        // A model the registry does not know is a 404, as in `models show`.
        Integer production = sources.queries().show(model).productionVersion();
        MonitoringTimeline t = MonitoringTimeline.of(model, CHECKS, sources.driftChecks(), sources.store(),
                sources.registry());
        Markup body = new Markup();
        int n = t.checks().size();
        body.note(n + (n == 1 ? " drift check" : " drift checks") + (n == 0 ? " yet (./mlops drift check --model "
                + model + " runs one)" : ", oldest first") + "; production is " + (production == null ? "none"
                : "v" + production) + ".");
        List<Map<String, Object>> markers = new ArrayList<>();
        for (Event e : t.events()) {
            markers.add(Map.of("t", e.at().toEpochMilli(), "label", e.kind() + (e.version() == null ? ""
                    : " v" + e.version()), "kind", e.kind()));
        }

        List<Map<String, Object>> drift = new ArrayList<>();
        List<String> scored = new ArrayList<>(t.features());
        scored.add(MonitoringTimeline.PREDICTION);
        for (String feature : scored) {
            List<List<Object>> points = new ArrayList<>();
            for (Check c : t.checks()) {
                Score s = c.scores().get(feature);
                if (s != null && s.distance() != null && s.threshold() != null && s.threshold() > 0) {
                    points.add(List.of(c.at().toEpochMilli(), s.distance() / s.threshold()));
                }
            }
            if (!points.isEmpty()) {
                drift.add(Map.of("label", feature, "points", points));
            }
        }
        body.heading(2, "Drift score per feature").chart("drift-timeline", "Distance over its threshold, per feature "
                + "and for the predictions, at each check (above 1: a shift larger than the effect threshold)", Map.of(
                "kind", "time", "series", drift, "markers", markers, "y", "distance / threshold", "yMin", 0,
                "line", 1));

        List<List<Object>> live = new ArrayList<>();
        List<List<Object>> low = new ArrayList<>();
        List<List<Object>> high = new ArrayList<>();
        List<List<Object>> test = new ArrayList<>();
        for (Check c : t.checks()) {
            long at = c.at().toEpochMilli();
            if (c.liveAccuracy() != null) {
                live.add(List.of(at, c.liveAccuracy()));
                low.add(List.of(at, c.liveAccuracyLow()));
                high.add(List.of(at, c.liveAccuracyHigh()));
            }
            if (c.testAccuracy() != null) {
                test.add(List.of(at, c.testAccuracy()));
            }
        }
        body.heading(2, "Live quality").chart("quality-timeline", "Live accuracy on the labelled requests of each "
                        + "check (with its 95 % interval) against the checked version's test accuracy",
                Map.of("kind", "time", "series", List.of(Map.of("label", "live accuracy", "points", live),
                                Map.of("label", "95 % interval, low", "points", low, "dashed", true),
                                Map.of("label", "95 % interval, high", "points", high, "dashed", true),
                                Map.of("label", "test accuracy", "points", test, "dashed", true)),
                        "markers", markers, "y", "accuracy", "yMin", 0, "yMax", 1));

        if (!t.checks().isEmpty()) {
            Check latest = t.checks().get(t.checks().size() - 1);
            List<String> labels = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            latest.scores().forEach((feature, s) -> {
                labels.add(feature);
                ratio.add(s.distance() == null || s.threshold() == null || s.threshold() == 0 ? null
                        : s.distance() / s.threshold());
            });
            body.chart("latest-check", "The latest check (" + latest.checkId() + "): distance over threshold per "
                    + "feature", Map.of("kind", "bar", "labels", labels, "series", List.of(ModelPages.series(
                    "distance / threshold", ratio)), "x", "feature", "y", "distance / threshold", "yMin", 0,
                    "line", 1));
        }

        List<List<String>> rows = new ArrayList<>();
        for (int i = t.checks().size() - 1; i >= 0; i--) {
            Check c = t.checks().get(i);
            rows.add(List.of(Markup.esc(c.checkId()), Markup.time(c.at()), "v" + c.modelVersion(),
                    Markup.badge(c.verdict()), Markup.badge(c.quality()), Markup.count(c.samples()),
                    Markup.esc(String.join(", ", c.driftedFeatures())), c.liveAccuracy() == null ? "–"
                            : Markup.number(c.liveAccuracy(), 3) + " on " + c.labelled(),
                    c.retraining() == null ? "–" : Markup.badge(c.retraining()) + (c.retrainingRunId() == null ? ""
                            : " " + Markup.link(Markup.path("runs", c.retrainingRunId()), c.retrainingRunId())),
                    c.reportHtmlKey() == null ? "–" : Markup.link(Markup.reportHref(c.reportHtmlKey()), "report")));
        }
        body.heading(2, "Checks").table(List.of("check", "window end", "version", "drift", "live quality", "rows",
                "drifted", "live accuracy", "retraining", "report"), rows, "checks");

        List<List<String>> events = new ArrayList<>();
        for (int i = t.events().size() - 1; i >= 0; i--) {
            Event e = t.events().get(i);
            events.add(List.of(Markup.time(e.at()), Markup.esc(e.kind()), Markup.esc(e.text())));
        }
        body.heading(2, "Marked on the timeline").table(List.of("when", "what", ""), events, "events");
        Map<String, String> links = new LinkedHashMap<>();
        links.put("model", Markup.link(Markup.path("models", model), model));
        body.facts(links);
        return Markup.page("Monitoring: " + model, Section.MODELS, sources.description(),
                List.of(new String[] {"Models", "/models"}, new String[] {model, Markup.path("models", model)},
                        new String[] {"monitoring", null}), body);
    }
}

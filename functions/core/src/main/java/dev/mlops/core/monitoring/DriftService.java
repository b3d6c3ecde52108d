package dev.mlops.core.monitoring;

import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.Profile;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.drift.CurrentWindow;
import dev.mlops.core.drift.DriftAnalysis;
import dev.mlops.core.drift.DriftConfig;
import dev.mlops.core.drift.DriftHtml;
import dev.mlops.core.drift.DriftResult;
import dev.mlops.core.drift.Reference;
import dev.mlops.core.drift.Verdict;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.task.RegressionMetrics;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.RunCause;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RegistryEvents;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.search.CandidateRecord;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Compares what a production model saw since its last check with the data it was trained on, joins the ground
 * truth it got, and starts retraining when either went wrong.
 *
 * <ol>
 *   <li><b>Window by keys.</b> Captures are batches keyed by the time they were written ({@link
 *       Layout#captureBatchKey}); the window is (the last check's end, now − {@code settle}], chosen from keys alone,
 *       so each batch belongs to exactly one check. {@code settle} covers batches being written while the check
 *       lists.</li>
 *   <li><b>Reference from the stored profile.</b> The production version's training profile (sketches, sample,
 *       counts) is the reference; training data is never reread.</li>
 *   <li><b>One streaming pass</b> over the window's batches builds the current side ({@link CurrentWindow}) and
 *       joins the ground-truth labels ({@link FeedbackIndex}) by request id.</li>
 *   <li><b>Verdicts</b> by the dataset's {@code drift} settings ({@link DriftAnalysis}, {@link LiveQuality}).</li>
 *   <li><b>Retraining</b> on DRIFTED or DEGRADED ({@link Retrainer}), at most once per cool-down.</li>
 *   <li><b>Rollout</b>: a rollout under way is weighed on its live evidence and promoted, stepped up, continued or
 *       aborted ({@link RolloutCheck}).</li>
 *   <li>{@code drift.json} and {@code drift.html} under {@code monitoring/<model>/<check>/}, the summary in the
 *       check log, metrics ({@code DriftDetected}, {@code FeaturesDrifted}, {@code QualityDegraded}, {@code
 *       LiveAccuracy} or {@code LiveRmse}, {@code RetrainingStarted}).</li>
 * </ol>
 */
public final class DriftService {

    /** How long after a batch's key time the check assumes it is written (the template's CAPTURE_SETTLE_SECONDS). */
    public static final Duration DEFAULT_SETTLE = Duration.ofSeconds(5);
    /** Most ground-truth labels (and labelled rows) one check joins. */
    static final int MAX_LABELS = 200_000;

    private static final DateTimeFormatter CHECK_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final DriftCheckLog checks;
    private final MetricsSink metrics;
    private final Clock clock;
    private final Duration settle;
    private final Retrainer retrainer;
    private final RolloutCheck rollouts;

    /**
     * @param events where a rollout's changes are announced
     * @param settle how long a batch may take to be written after the time in its key
     */
    public DriftService(ObjectStore store, ModelRegistry registry, DatasetCatalog datasets, RunLog runs,
                        PipelineLauncher launcher, DriftCheckLog checks, MetricsSink metrics, RegistryEvents events,
                        Clock clock, Duration settle) {
        this.store = store;
        this.registry = registry;
        this.checks = checks;
        this.metrics = metrics;
        this.clock = clock;
        this.settle = settle;
        this.retrainer = new Retrainer(store, datasets, runs, launcher, checks, clock);
        this.rollouts = new RolloutCheck(store, registry, events, metrics, clock);
    }

    /** Checks every model that has a production version. */
    public List<DriftCheck> checkAll() {
        List<DriftCheck> out = new ArrayList<>();
        for (String model : registry.modelsWithAlias(ModelRegistry.PRODUCTION).keySet()) {
            out.add(check(model));
        }
        return out;
    }

    /**
     * Checks one model and writes its report.
     *
     * @throws ContractException  when the model has no production version
     * @throws IntegrityException when its training profile is missing
     */
    public DriftCheck check(String model) {
        long t0 = System.nanoTime();
        Names.require("model", model);
        int version = registry.alias(model, ModelRegistry.PRODUCTION)
                .orElseThrow(() -> new ContractException("model " + model + " has no production version"));
        ModelVersion production = registry.find(model, version)
                .orElseThrow(() -> new IntegrityException("production of " + model + " points at missing v" + version));
        String profileKey = production.lineage().profileKey();
        Profile baseline = store.findJson(profileKey, Profile.class)
                .orElseThrow(() -> new IntegrityException("no training profile at " + profileKey));
        String dataset = production.lineage().dataset();
        String configSource = Layout.config(dataset);
        DriftConfig config;
        try {
            Optional<PipelineConfig> stored = store.findJson(configSource, PipelineConfig.class);
            config = stored.map(PipelineConfig::drift).orElseGet(DriftConfig::defaults);
            configSource = stored.isPresent() ? configSource : "defaults (" + configSource + " does not exist)";
        } catch (ContractException e) {
            // A broken config must not stop monitoring: the defaults decide, and the report says why.
            config = DriftConfig.defaults();
            configSource = "defaults: " + configSource + " is invalid: " + e.getMessage();
        }

        Instant now = clock.instant();
        Instant start = checks.latest(model).map(DriftCheck::windowEnd).orElse(Instant.EPOCH);
        Instant end = now.minus(settle).isAfter(start) ? now.minus(settle) : start;
        Duration delay = Duration.ofMinutes(config.quality().labelDelayMinutes());
        CaptureScan.Window drift = new CaptureScan.Window(start, end);
        CaptureScan.Window quality = new CaptureScan.Window(start.minus(delay), end.minus(delay));

        FeedbackIndex feedback = FeedbackIndex.read(store, model, quality.start(), now, MAX_LABELS);
        CurrentWindow current = new CurrentWindow(Reference.of(baseline, config.bins()), config);
        CaptureScan.Result scan = CaptureScan.scan(store, model, drift, quality, current, feedback.labels, MAX_LABELS);
        DriftResult result = DriftAnalysis.compare(current, config);

        List<String[]> pairs = new ArrayList<>(scan.labelled.size());
        for (CaptureScan.LabelledRow row : scan.labelled) {
            pairs.add(new String[] {row.actual(), row.predicted()});
        }
        long labels = feedback.labels.values().stream().mapToLong(Map::size).sum();
        long unmatched = Math.max(0, labels - scan.labelled.size() - scan.labelledDropped);
        Optional<RegressionMetrics> regressionTest = regressionTest(production);
        LiveQuality live = regressionTest.isPresent()
                ? LiveQuality.ofRegression(pairs, regressionTest.get(), config.quality(), unmatched)
                : LiveQuality.of(pairs, production.training(), config.quality(), unmatched);

        String checkId = CHECK_ID.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        String reportKey = Layout.driftReport(model, checkId);
        String htmlKey = Layout.driftReportHtml(model, checkId);
        boolean drifted = result.verdict() == Verdict.DRIFTED;
        boolean degraded = LiveQuality.DEGRADED.equals(live.verdict());
        DriftCheck.Retraining retraining = null;
        if (drifted || degraded) {
            String why = drifted && degraded ? "DRIFTED+DEGRADED" : drifted ? "DRIFTED" : "DEGRADED";
            retraining = retrainer.retrain(production, new RunCause(checkId, why, reportKey), scan.labelled,
                    config.retraining());
            if (Retrainer.FAILED.equals(retraining.status())) {
                metrics.count("RetrainingFailures", 1, Map.of("Model", model));
            }
        }

        RolloutDecision rollout = rollouts.check(model, checkId, reportKey, end, MAX_LABELS).orElse(null);

        DriftReport.Read read = new DriftReport.Read(scan.objects, scan.records, scan.rows, scan.bytes,
                scan.unreadableObjects, scan.unreadableExample, labels, feedback.dropped, scan.labelledDropped,
                feedback.unreadable);
        DriftReport report = new DriftReport(model, version, checkId, start, end, quality.start(), quality.end(),
                profileKey, result.verdict(), result.reason(), result, live, retraining, read, configSource,
                (System.nanoTime() - t0) / 1_000_000, rollout);
        store.putJson(reportKey, report);
        store.put(htmlKey, html(report).getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");

        DriftCheck check = new DriftCheck(model, checkId, version, start, end, result.rows(), drifted,
                result.drifted(), reportKey, result.verdict().name(), live.verdict(), retraining, htmlKey);
        checks.record(check);
        Map<String, String> dims = Map.of("Model", model);
        metrics.count("DriftDetected", drifted ? 1 : 0, dims);
        metrics.count("FeaturesDrifted", result.drifted().size(), dims);
        metrics.count("QualityDegraded", degraded ? 1 : 0, dims);
        if (live.accuracy() != null) {
            metrics.count("LiveAccuracy", live.accuracy(), dims);
        }
        if (live.rmse() != null) {
            metrics.count("LiveRmse", live.rmse(), dims);
        }
        boolean started = retraining != null && (Retrainer.REQUESTED.equals(retraining.status())
                || Retrainer.STARTED.equals(retraining.status()));
        metrics.count("RetrainingStarted", started ? 1 : 0, dims);
        return check;
    }

    /** A regression version's test metrics (its candidate's metrics document), empty for a classification. */
    private Optional<RegressionMetrics> regressionTest(ModelVersion production) {
        String key = production.artifact().metricsKey();
        if (key == null) {
            return Optional.empty();
        }
        return store.findJson(key, CandidateRecord.MetricsDocument.class).map(CandidateRecord.MetricsDocument::test)
                .filter(RegressionMetrics.class::isInstance).map(RegressionMetrics.class::cast);
    }

    /** The report as a page: the verdict, live quality and retraining on top, then every column. */
    static String html(DriftReport r) {
        List<String> facts = List.of(
                "check " + r.checkId() + " · model " + r.model() + " v" + r.modelVersion(),
                "window: captures written after " + r.windowStart() + " up to " + r.windowEnd() + " · "
                        + String.format(Locale.ROOT, "%,d rows in %,d requests, %,d batches", r.read().rows(),
                        r.read().records(), r.read().objects())
                        + (r.read().unreadableObjects() > 0 ? " · " + r.read().unreadableObjects()
                        + " batch(es) unreadable: " + r.read().unreadableExample() : ""),
                "reference: " + r.baseline() + String.format(Locale.ROOT, " (%,d rows)", r.drift().referenceRows()),
                "rule: " + r.config());
        List<DriftHtml.Section> sections = new ArrayList<>();
        LiveQuality q = r.quality();
        List<String[]> quality = new ArrayList<>();
        quality.add(new String[] {"verdict", q.reason()});
        if (q.labelled() > 0 && q.rmse() != null) {
            quality.add(new String[] {"RMSE", String.format(Locale.ROOT, "%.4g (test %.4g)", q.rmse(), q.testRmse())});
            quality.add(new String[] {"MAE", String.format(Locale.ROOT, "%.4g (test %.4g)", q.mae(), q.testMae())});
        } else if (q.labelled() > 0) {
            quality.add(new String[] {"accuracy", String.format(Locale.ROOT, "%.3f (95%% interval %.3f-%.3f; test %.3f)",
                    q.accuracy(), q.accuracyLow(), q.accuracyHigh(), q.testAccuracy())});
            quality.add(new String[] {"macro-F1", String.format(Locale.ROOT, "%.3f (test %.3f)", q.macroF1(),
                    q.testMacroF1())});
            q.perClass().forEach((actual, predicted) -> quality.add(new String[] {"true " + actual,
                    "predicted " + predicted}));
        }
        quality.add(new String[] {"window", "predictions captured after " + r.qualityWindowStart() + " up to "
                + r.qualityWindowEnd() + String.format(Locale.ROOT, "; %,d labels received, %,d without a captured"
                + " prediction in the window", r.read().feedbackLabels(), q.unmatched())
                + (r.read().feedbackUnreadable() > 0 ? String.format(Locale.ROOT, "; %,d feedback object(s) unreadable",
                r.read().feedbackUnreadable()) : "")});
        sections.add(new DriftHtml.Section("Live quality", q.verdict(), quality));
        if (r.retraining() != null) {
            DriftCheck.Retraining t = r.retraining();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"what", t.reason()});
            if (t.runId() != null) {
                rows.add(new String[] {"run", t.runId()});
            }
            if (t.upload() != null) {
                rows.add(new String[] {"upload", t.upload()});
            }
            sections.add(new DriftHtml.Section("Retraining", t.status(), rows));
        }
        if (r.rollout() != null) {
            sections.add(RolloutEvidenceHtml.section(r.rollout()));
        }
        return DriftHtml.render("Drift check: " + r.model() + " v" + r.modelVersion(), facts, r.drift(), sections);
    }
}

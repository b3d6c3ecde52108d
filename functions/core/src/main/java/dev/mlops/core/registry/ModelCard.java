package dev.mlops.core.registry;

import dev.mlops.core.model.explain.FeatureImportance;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.search.CandidateRecord;
import dev.mlops.core.search.Leaderboard;
import dev.mlops.core.search.TrainingReportHtml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a registered version's {@code model-card.json} and {@code report.html} say, assembled from
 * the documents training wrote under the run's prefix: the dataset version, its schema and the
 * model's signature, the family and every hyper-parameter, Tribuo's provenance, validation and test
 * metrics, each feature column's permutation importance on the test rows ({@code feature_importance}), the split
 * and its seed, training time, library versions, the blessing, and the run's leaderboard. A document
 * that is missing (a run from before experiment tracking) is left out, not invented.
 */
public final class ModelCard {

    private ModelCard() {
    }

    /**
     * The card of a registered version.
     *
     * @param store      where training wrote its documents
     * @param v          the registered version
     * @param best       the candidate it was registered from
     * @param importance its feature importance on its test rows; null when it could not be measured
     */
    public static Map<String, Object> of(ObjectStore store, ModelVersion v, TrainedCandidate best,
                                         FeatureImportance importance) {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", v.model());
        card.put("version", v.version());
        card.put("created_at", v.createdAt().toString());
        card.put("lineage", v.lineage());
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("name", v.lineage().dataset());
        dataset.put("version", v.lineage().datasetVersion());
        dataset.put("source", v.lineage().source());
        dataset.put("label", v.lineage().label());
        json(store, Layout.validatedSchema(v.lineage().dataset(), v.lineage().datasetVersion()))
                .ifPresent(s -> dataset.put("schema", s));
        card.put("dataset", dataset);
        json(store, best.signatureKey()).ifPresent(s -> card.put("signature", s));
        Optional<CandidateRecord> record = record(store, best.recordKey());
        card.put("family", best.candidate().algorithm());
        card.put("hyper_parameters", record.map(CandidateRecord::hyperParameters).filter(p -> p != null)
                .orElse(best.candidate().hyperParameters()));
        Map<String, Object> split = new LinkedHashMap<>(Json.tree(best.candidate().split()));
        split.put("train_rows", best.trainRows());
        split.put("test_rows", best.testRows());
        split.put("folds", best.candidate().folds());
        split.put("refit", best.candidate().refit());
        record.map(CandidateRecord::movedRows).ifPresent(m -> split.put("moved_rows", m));
        card.put("split", split);
        Map<String, Object> selection = new LinkedHashMap<>();
        selection.put("metric", best.candidate().selectionMetric());
        selection.put("score", best.selectionScore());
        selection.put("candidate_index", best.candidateIndex());
        card.put("selection", selection);
        json(store, best.metricsKey()).ifPresent(m -> card.put("metrics", m));
        if (importance != null) {
            card.put("feature_importance", importance);
        }
        Map<String, Object> training = new LinkedHashMap<>(Json.tree(v.training()));
        training.put("fit_millis", best.fitMillis());
        training.put("seed", best.candidate().seed());
        card.put("training", training);
        card.put("artifact", v.artifact());
        record.map(CandidateRecord::artifactBytes).ifPresent(b -> card.put("artifact_bytes", b));
        record.map(CandidateRecord::libraries).ifPresent(l -> card.put("libraries", l));
        card.put("blessing", v.blessing());
        if (best.provenanceKey() != null) {
            json(store, best.provenanceKey()).ifPresent(p -> card.put("provenance", p));
        }
        return card;
    }

    /**
     * The version's {@code report.html}: facts, the run's leaderboard, the test confusion matrix, per-class bars
     * and the feature importance.
     */
    public static byte[] report(ObjectStore store, ModelVersion v, TrainedCandidate best,
                                FeatureImportance importance) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("dataset", v.lineage().dataset() + " version " + v.lineage().datasetVersion());
        facts.put("run", v.lineage().runId());
        facts.put("family", best.candidate().algorithm() + " " + best.candidate().hyperParameters());
        facts.put("selected by", best.candidate().selectionMetric() + (best.candidate().folds() > 0
                ? " (" + best.candidate().folds() + "-fold cross-validation)" : " (validation rows)"));
        facts.put("test", String.format(java.util.Locale.ROOT, "accuracy %.4f, macro-F1 %.4f on %d rows",
                best.accuracy(), best.macroF1(), best.testRows()));
        facts.put("blessing", v.blessing().verdict() + ": " + v.blessing().reason());
        facts.put("artifact", v.artifact().modelKey() + " sha256 " + v.artifact().sha256());
        CandidateRecord.MetricsDocument metrics = best.metricsKey() == null ? null : store.find(best.metricsKey())
                .map(o -> readMetrics(o.bytes())).orElse(null);
        return TrainingReportHtml.render(v.model() + " v" + v.version(), facts,
                Leaderboard.of(records(store, v.model(), v.lineage().runId())),
                metrics == null ? null : metrics.test(), importance);
    }

    /** A metrics document; a document of another shape (older runs) gives none. */
    private static CandidateRecord.MetricsDocument readMetrics(byte[] bytes) {
        try {
            return Json.read(bytes, CandidateRecord.MetricsDocument.class);
        } catch (dev.mlops.core.errors.ContractException older) {
            return null;
        }
    }

    /** The tracking records of a run, in candidate order (what the leaderboard ranks). */
    public static List<CandidateRecord> records(ObjectStore store, String model, String runId) {
        List<CandidateRecord> out = new ArrayList<>();
        for (ObjectStore.ObjectInfo info : store.list(Layout.runPrefix(model, runId), null)) {
            if (info.key().endsWith("/candidate.json")) {
                store.findJson(info.key(), CandidateRecord.class).ifPresent(out::add);
            }
        }
        out.sort(java.util.Comparator.comparingInt(CandidateRecord::candidateIndex));
        return out;
    }

    private static Optional<CandidateRecord> record(ObjectStore store, String key) {
        return key == null ? Optional.empty() : store.findJson(key, CandidateRecord.class);
    }

    private static Optional<JsonNode> json(ObjectStore store, String key) {
        return store.find(key).map(o -> Json.tree(o.bytes()));
    }
}

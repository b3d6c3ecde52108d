package dev.mlops.functions.registry;

import dev.mlops.aws.ModelLoader;
import dev.mlops.aws.ModelRegistryStore;
import dev.mlops.aws.ModelRegistryStore.ModelVersion;
import dev.mlops.aws.PinnedDatasets;
import dev.mlops.aws.RunStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.pipeline.Promotion;
import dev.mlops.core.pipeline.Registration;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.registry.Blessing;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.train.Metrics;
import dev.mlops.core.train.Split;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's three steps. Each is safe to retry: {@code register} returns the version a run
 * already registered, {@code promote} is a conditional move that is a no-op once done, and
 * {@code record_failure} overwrites the run's ending with the same facts.
 */
public final class Registry {

    private final S3ObjectStore store;
    private final ModelRegistryStore models;
    private final RunStore runs;

    public Registry(S3ObjectStore store, ModelRegistryStore models, RunStore runs) {
        this.store = store;
        this.models = models;
        this.runs = runs;
    }

    /** Registers the run's best candidate as the next version, blessed or not against the champion. */
    public Registration register(RegistryTask task) {
        String model = Names.require("model", task.model());
        Optional<Integer> champion = models.alias(model, ModelRegistryStore.PRODUCTION);
        Optional<ModelVersion> already = models.versionOfRun(model, task.runId());
        if (already.isPresent()) {
            ModelVersion v = already.get();
            return new Registration(model, v.version(), v.blessed(), v.reason(), v.accuracy(), champion.orElse(null), null);
        }

        TrainedCandidate best = Blessing.best(task.candidates());
        Double championAccuracy = null;
        Blessing.Decision decision;
        if (champion.isPresent()) {
            championAccuracy = championAccuracyOnSameRows(task, best, champion.get());
            decision = championAccuracy == null
                    ? new Blessing.Decision(true, "champion v" + champion.get() + " cannot score this dataset's columns")
                    : Blessing.decide(best.accuracy(), champion.get(), championAccuracy);
        } else {
            decision = Blessing.decide(best.accuracy(), null, null);
        }

        ModelVersion v = models.register(new ModelVersion(model, 0, "REGISTERED", decision.blessed(),
                decision.reason(), task.runId(), task.dataset(), task.datasetVersion(), task.label(),
                best.candidate().algorithm(), best.artifactKey(), best.sha256(), best.modelClass(), best.signatureKey(),
                best.metricsKey(), Layout.profile(task.dataset(), task.datasetVersion()),
                best.accuracy(), best.macroF1(), null));
        writeVersionFolder(v, best);
        models.audit(model, "register", "v" + v.version() + (v.blessed() ? " BLESSED: " : " NOT_BLESSED: ") + v.reason());
        if (!decision.blessed()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("version", v.version());
            fields.put("production_version", champion.orElse(null));
            fields.put("reason", decision.reason());
            runs.end(task.runId(), "NOT_BLESSED", fields);
        }
        return new Registration(model, v.version(), decision.blessed(), decision.reason(), best.accuracy(),
                champion.orElse(null), championAccuracy);
    }

    /** Points production at the registered version, if nobody moved it since we looked. */
    public Promotion promote(RegistryTask task) {
        String model = Names.require("model", task.model());
        int version = task.version();
        ModelVersion v = models.version(model, version)
                .orElseThrow(() -> new IllegalArgumentException("model " + model + " has no version " + version));
        if (!v.blessed()) {
            throw new IllegalStateException("model " + model + " v" + version + " is NOT_BLESSED and cannot be promoted");
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            Integer current = models.alias(model, ModelRegistryStore.PRODUCTION).orElse(null);
            if (current != null && current == version) {
                // A retried promote whose first attempt got through.
                runs.end(task.runId(), "SUCCEEDED", Map.of("version", version, "production_version", version));
                return new Promotion(model, ModelRegistryStore.PRODUCTION, version, null);
            }
            if (models.moveAlias(model, ModelRegistryStore.PRODUCTION, version, current)) {
                models.audit(model, "promote", "production: v" + current + " -> v" + version);
                runs.end(task.runId(), "SUCCEEDED", Map.of("version", version, "production_version", version));
                return new Promotion(model, ModelRegistryStore.PRODUCTION, version, current);
            }
        }
        throw new IllegalStateException("the production alias of " + model + " kept moving under concurrent promotions; v"
                + version + " was not promoted");
    }

    /** Records the failure the state machine caught; nothing was registered or promoted by the failed step. */
    public Map<String, String> recordFailure(RegistryTask task) {
        Map<String, String> failure = task.failure() == null ? Map.of() : task.failure();
        String error = failure.getOrDefault("Error", "Unknown");
        String cause = failure.getOrDefault("Cause", "");
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("error", error);
        fields.put("cause", cause.length() > 4000 ? cause.substring(0, 4000) : cause);
        runs.end(task.runId(), "FAILED", fields);
        if (task.model() != null && Names.isValid(task.model())) {
            models.audit(task.model(), "run_failed", task.runId() + ": " + error);
        }
        return Map.of("run_id", task.runId(), "status", "FAILED", "error", error);
    }

    /**
     * Scores the champion on the challenger's test rows. Null when the champion cannot read these
     * rows (its features are not columns of this dataset).
     */
    private Double championAccuracyOnSameRows(RegistryTask task, TrainedCandidate best, int championVersion) {
        ModelVersion champion = models.version(task.model(), championVersion)
                .orElseThrow(() -> new IllegalStateException("production points at missing v" + championVersion));
        CsvTable table = PinnedDatasets.load(store, task.source());
        Schema schema = store.findJson(Layout.validatedSchema(task.dataset(), task.datasetVersion()), Schema.class)
                .orElseThrow();
        Split split = Split.stratified(table, schema, best.candidate().seed(), best.candidate().testFraction());
        ModelLoader.LoadedModel loaded = ModelLoader.load(store, champion);
        try {
            Metrics metrics = Evaluation.evaluate(loaded.predictor(), table, schema, split.testRows());
            return metrics.accuracy();
        } catch (IllegalArgumentException incompatible) {
            return null;
        }
    }

    /** Copies the winning artifacts to models/<model>/<version>/ and writes the model card there. */
    private void writeVersionFolder(ModelVersion v, TrainedCandidate best) {
        String prefix = Layout.modelPrefix(v.model(), v.version());
        store.copy(best.artifactKey(), prefix + "model.tribuo");
        store.copy(best.signatureKey(), prefix + "signature.json");
        store.copy(best.metricsKey(), prefix + "metrics.json");
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("model", v.model());
        card.put("version", v.version());
        card.put("algorithm", v.algorithm());
        card.put("candidate", best.candidate());
        card.put("dataset", v.dataset());
        card.put("dataset_version", v.datasetVersion());
        card.put("label", v.label());
        card.put("accuracy", v.accuracy());
        card.put("macro_f1", v.macroF1());
        card.put("blessed", v.blessed());
        card.put("blessing_reason", v.reason());
        card.put("sha256", v.sha256());
        card.put("model_class", v.modelClass());
        card.put("provenance_key", best.provenanceKey());
        card.put("run_id", v.runId());
        card.put("created_at", v.createdAt());
        store.putJson(prefix + "model-card.json", card);
    }
}

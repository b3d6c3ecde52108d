package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.Run;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.pipeline.ApprovalPolicy;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.registry.RegistryViews.DatasetLineage;
import dev.mlops.core.registry.RegistryViews.History;
import dev.mlops.core.registry.RegistryViews.Lineage;
import dev.mlops.core.registry.RegistryViews.ModelDetail;
import dev.mlops.core.registry.RegistryViews.ModelList;
import dev.mlops.core.registry.RegistryViews.ModelSummary;
import dev.mlops.core.registry.RegistryViews.TrainedVersion;
import dev.mlops.core.registry.RegistryViews.VersionDetail;
import dev.mlops.core.registry.RegistryViews.VersionSummary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registry's read-only questions ({@link RegistryQuery}), as a platform team asks them: list, show,
 * history, lineage. Nothing here writes; the answers are {@link RegistryViews}.
 */
public final class RegistryQueries {

    private static final Pattern CANDIDATE_KEY = Pattern.compile("models/[^/]+/runs/[^/]+/(\\d+)/model\\.tribuo");

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final RunLog runs;
    private final DatasetCatalog datasets;
    private final NamedVersions named;

    public RegistryQueries(ObjectStore store, ModelRegistry registry, RunLog runs, DatasetCatalog datasets) {
        this.store = store;
        this.registry = registry;
        this.runs = runs;
        this.datasets = datasets;
        this.named = new NamedVersions(registry);
    }

    /** Answers one question. */
    public Object answer(RegistryQuery query) {
        if (query instanceof RegistryQuery.ListModels) {
            return list();
        }
        if (query instanceof RegistryQuery.ShowModel s) {
            return s.version() == null ? show(s.model()) : show(s.model(), s.version());
        }
        if (query instanceof RegistryQuery.History h) {
            return history(h.model());
        }
        if (query instanceof RegistryQuery.ModelLineage l) {
            return lineage(l.model(), l.version());
        }
        if (query instanceof RegistryQuery.ShowRollout r) {
            return rollout(r.model());
        }
        RegistryQuery.DatasetLineage d = (RegistryQuery.DatasetLineage) query;
        return datasetLineage(d.dataset(), d.version());
    }

    /** {@code list_models}: every model, its versions, production and what waits for approval. */
    public ModelList list() {
        List<ModelSummary> out = new ArrayList<>();
        for (String model : registry.models()) {
            List<ModelVersion> versions = registry.versions(model);
            if (versions.isEmpty()) {
                continue;
            }
            ModelVersion latest = versions.get(versions.size() - 1);
            out.add(new ModelSummary(model, versions.size(), latest.version(), production(model),
                    policy(latest).policy(), versions.stream()
                    .filter(v -> v.approvalIs(ApprovalStatus.PENDING_APPROVAL)).map(ModelVersion::version).toList()));
        }
        return new ModelList(out);
    }

    /** {@code show_model}: a model with all its versions. */
    public ModelDetail show(String model) {
        List<ModelVersion> all = named.all(model);
        Integer production = production(model);
        List<VersionSummary> out = new ArrayList<>();
        for (ModelVersion v : all) {
            out.add(new VersionSummary(v.version(), v.createdAt().toString(), v.blessing().verdict().name(),
                    v.blessing().reason(), v.training().accuracy(), v.training().macroF1(),
                    v.approval() == null ? null : v.approval().status().name(), v.tags(),
                    Objects.equals(production, v.version()), v.lineage().runId(), v.lineage().datasetVersion()));
        }
        return new ModelDetail(model, production, policy(all.get(all.size() - 1)).policy(), out);
    }

    /** {@code show_model} with a version: the version as registered, and whether it serves. */
    public VersionDetail show(String model, int version) {
        ModelVersion v = named.find(model, version);
        Integer production = production(model);
        return new VersionDetail(v, Objects.equals(production, version), production, policy(v).policy());
    }

    /** {@code show_rollout}: the model's rollout and the last check's evidence. */
    public RegistryViews.RolloutView rollout(String model) {
        named.all(model);
        Rollout r = registry.rollout(model).orElse(null);
        return new RegistryViews.RolloutView(model, production(model), r != null && r.active(), r);
    }

    /** {@code model_history}: the audit trail. */
    public History history(String model) {
        named.all(model);
        return new History(model, production(model), registry.auditTrail(model));
    }

    /** {@code model_lineage}: a version back to the bytes it was made from. */
    public Lineage lineage(String model, int version) {
        ModelVersion v = named.find(model, version);
        dev.mlops.core.domain.Lineage l = v.lineage();
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("dataset", l.dataset());
        dataset.put("version", l.datasetVersion());
        dataset.put("source", l.source());
        dataset.put("label", l.label());
        Optional<DatasetVersion> recorded = l.dataset() == null || l.datasetVersion() == null ? Optional.empty()
                : datasets.find(l.dataset(), l.datasetVersion());
        dataset.put("status", recorded.map(d -> d.status().name()).orElse(null));
        dataset.put("rows", recorded.map(DatasetVersion::rows).orElse(null));
        dataset.put("validation_report", recorded.map(DatasetVersion::reportKey)
                .orElse(l.dataset() == null ? null : Layout.validationReport(l.dataset(), l.datasetVersion())));
        dataset.put("profile", l.profileKey());
        dataset.put("schema", recorded.map(DatasetVersion::schemaKey)
                .orElse(l.dataset() == null ? null : Layout.validatedSchema(l.dataset(), l.datasetVersion())));
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("run_id", l.runId());
        Optional<Run> r = l.runId() == null ? Optional.empty() : runs.find(l.runId());
        run.put("status", r.map(x -> x.status().name()).orElse(null));
        run.put("attempt", r.map(Run::attempt).orElse(null));
        run.put("retry_of", r.map(Run::retryOf).orElse(null));
        run.put("execution", r.map(Run::executionId).orElse(null));
        run.put("started_at", r.map(x -> x.startedAt().toString()).orElse(null));
        run.put("ended_at", r.map(x -> x.endedAt() == null ? null : x.endedAt().toString()).orElse(null));
        Map<String, Object> candidate = new LinkedHashMap<>();
        Matcher m = CANDIDATE_KEY.matcher(v.artifact().modelKey());
        candidate.put("index", m.matches() ? Integer.valueOf(m.group(1)) : null);
        candidate.put("algorithm", v.training().algorithm());
        candidate.put("hyper_parameters", v.training().hyperParameters());
        candidate.put("split", v.training().split());
        candidate.put("accuracy", v.training().accuracy());
        candidate.put("macro_f1", v.training().macroF1());
        Map<String, Object> artifact = new LinkedHashMap<>();
        artifact.put("model_key", v.artifact().modelKey());
        artifact.put("sha256", v.artifact().sha256());
        artifact.put("model_class", v.artifact().modelClass());
        artifact.put("signature_key", v.artifact().signatureKey());
        artifact.put("metrics_key", v.artifact().metricsKey());
        artifact.put("provenance_key", v.artifact().provenanceKey());
        artifact.put("copy", Layout.modelPrefix(model, version));
        Map<String, Object> blessing = new LinkedHashMap<>();
        blessing.put("verdict", v.blessing().verdict().name());
        blessing.put("reason", v.blessing().reason());
        blessing.put("champion_version", v.blessing().championVersion());
        return new Lineage(model, version, dataset, run, candidate, artifact, blessing);
    }

    /** {@code dataset_lineage}: every model version trained on a dataset version. */
    public DatasetLineage datasetLineage(String dataset, String version) {
        NamedVersions.require("dataset", dataset);
        Optional<DatasetVersion> recorded = datasets.find(dataset, version);
        List<ModelVersion> trained = registry.versionsTrainedOn(dataset, version);
        if (recorded.isEmpty() && trained.isEmpty()) {
            throw new ContractException("dataset " + dataset + " has no version " + version);
        }
        Map<String, Integer> production = new LinkedHashMap<>();
        List<TrainedVersion> out = new ArrayList<>();
        for (ModelVersion v : trained) {
            Integer p = production.computeIfAbsent(v.model(), this::production);
            out.add(new TrainedVersion(v.model(), v.version(), v.lineage().runId(), v.blessing().verdict().name(),
                    v.approval() == null ? null : v.approval().status().name(), Objects.equals(p, v.version()),
                    v.artifact().sha256()));
        }
        return new DatasetLineage(dataset, version, recorded.map(d -> d.status().name()).orElse(null),
                recorded.map(DatasetVersion::rows).orElse(null), recorded.map(DatasetVersion::sourceKey).orElse(null),
                recorded.map(DatasetVersion::sourceVersionId).orElse(null), out);
    }

    private Integer production(String model) {
        return Production.current(registry, model);
    }

    private ApprovalPolicy policy(ModelVersion latest) {
        return DatasetConfigs.approval(store, latest.lineage().dataset());
    }
}

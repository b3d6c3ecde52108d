package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.domain.Run;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.pipeline.ApprovalPolicy;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RegistryEvents;
import dev.mlops.core.ports.RunLog;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a platform team does to models: list, show, history, promote, roll back, approve, reject,
 * tag, lineage. The same rules as the pipeline's {@link RegistryService}: every move of production
 * is a compare-and-set ({@link ModelRegistry#moveAlias}) from the version the caller saw, audited
 * once with who, when, from, to and why, and announced on the event bus; only a blessed version
 * that is not rejected can serve, unless a person forces it with a reason (audited as forced).
 * Conflicts and refusals are answers ({@link Change.Outcome}), not errors: nothing was changed.
 */
public final class RegistryOperations {

    /** The answer to a change: what happened to production and why. */
    public record Change(String action, String model, Integer version, Outcome outcome, Integer productionBefore,
                         Integer productionAfter, Boolean forced, String reason) {

        /** What a change did. */
        public enum Outcome {
            /** Done: the registry changed as asked. */
            CHANGED,
            /** Already so: nothing to do, nothing was written. */
            UNCHANGED,
            /** Someone changed the registry first (production moved, or another decision was made): nothing was changed. */
            CONFLICT,
            /** A rule forbids it (not blessed, rejected, pending, nothing to roll back to): nothing was changed. */
            REFUSED
        }

        public boolean ok() {
            return outcome == Outcome.CHANGED || outcome == Outcome.UNCHANGED;
        }
    }

    /** One line of {@code models list}. */
    public record ModelSummary(String model, int versions, int latestVersion, Integer productionVersion,
                               String approvalPolicy, List<Integer> pendingApproval) {
    }

    /** {@code list_models}. */
    public record ModelList(List<ModelSummary> models) {
    }

    /** One version as {@code models show NAME} lists it. */
    public record VersionSummary(int version, String createdAt, String verdict, String reason, double accuracy,
                                 double macroF1, String approval, Map<String, String> tags, boolean production,
                                 String runId, String datasetVersion) {
    }

    /** {@code show_model} without a version. */
    public record ModelDetail(String model, Integer productionVersion, String approvalPolicy,
                              List<VersionSummary> versions) {
    }

    /** {@code show_model} with a version: the version as registered, and whether it serves. */
    public record VersionDetail(ModelVersion version, boolean production, Integer productionVersion,
                                String approvalPolicy) {
    }

    /** {@code model_history}. */
    public record History(String model, Integer productionVersion, List<AuditEntry> entries) {
    }

    /** {@code model_lineage}: a version back to the bytes it was made from. */
    public record Lineage(String model, int version, Map<String, Object> dataset, Map<String, Object> run,
                          Map<String, Object> candidate, Map<String, Object> artifact, Map<String, Object> blessing) {
    }

    /** One model version trained on a dataset version. */
    public record TrainedVersion(String model, int version, String runId, String verdict, String approval,
                                 boolean production, String sha256) {
    }

    /** {@code dataset_lineage}. */
    public record DatasetLineage(String dataset, String version, String status, Long rows, String sourceKey,
                                 String sourceVersionId, List<TrainedVersion> models) {
    }

    private static final Pattern CANDIDATE_KEY = Pattern.compile("models/[^/]+/runs/[^/]+/(\\d+)/model\\.tribuo");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");
    private static final int MAX_TAG_VALUE = 256;
    private static final int MAX_TEXT = 1000;

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final RunLog runs;
    private final DatasetCatalog datasets;
    private final RegistryEvents events;
    private final ArtifactLoader artifacts;
    private final Clock clock;

    public RegistryOperations(ObjectStore store, ModelRegistry registry, RunLog runs, DatasetCatalog datasets,
                              RegistryEvents events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.runs = runs;
        this.datasets = datasets;
        this.events = events;
        this.artifacts = new ArtifactLoader(store);
        this.clock = clock;
    }

    /** Runs one operation. */
    public Object handle(RegistryOperation operation) {
        if (operation instanceof RegistryOperation.ListModels) {
            return list();
        }
        if (operation instanceof RegistryOperation.ShowModel s) {
            return s.version() == null ? show(s.model()) : show(s.model(), s.version());
        }
        if (operation instanceof RegistryOperation.History h) {
            return history(h.model());
        }
        if (operation instanceof RegistryOperation.Promote p) {
            return promote(p);
        }
        if (operation instanceof RegistryOperation.Rollback r) {
            return rollback(r);
        }
        if (operation instanceof RegistryOperation.Approve a) {
            return approve(a);
        }
        if (operation instanceof RegistryOperation.Reject r) {
            return reject(r);
        }
        if (operation instanceof RegistryOperation.Tag t) {
            return tag(t);
        }
        if (operation instanceof RegistryOperation.ModelLineage l) {
            return lineage(l.model(), l.version());
        }
        RegistryOperation.DatasetLineage d = (RegistryOperation.DatasetLineage) operation;
        return datasetLineage(d.dataset(), d.version());
    }

    // ------------------------------------------------------------------ questions

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

    public ModelDetail show(String model) {
        List<ModelVersion> versions = versionsOf(model);
        Integer production = production(model);
        List<VersionSummary> out = new ArrayList<>();
        for (ModelVersion v : versions) {
            out.add(new VersionSummary(v.version(), v.createdAt().toString(), v.blessing().verdict().name(),
                    v.blessing().reason(), v.training().accuracy(), v.training().macroF1(),
                    v.approval() == null ? null : v.approval().status().name(), v.tags(),
                    Objects.equals(production, v.version()), v.lineage().runId(), v.lineage().datasetVersion()));
        }
        return new ModelDetail(model, production, policy(versions.get(versions.size() - 1)).policy(), out);
    }

    public VersionDetail show(String model, int version) {
        ModelVersion v = version(model, version);
        Integer production = production(model);
        return new VersionDetail(v, Objects.equals(production, version), production, policy(v).policy());
    }

    public History history(String model) {
        versionsOf(model);
        return new History(model, production(model), registry.auditTrail(model));
    }

    public Lineage lineage(String model, int version) {
        ModelVersion v = version(model, version);
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

    public DatasetLineage datasetLineage(String dataset, String version) {
        require("dataset", dataset);
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

    // ------------------------------------------------------------------ changes

    /** {@code promote_model}: a compare-and-set from the production the caller saw. */
    public Change promote(RegistryOperation.Promote op) {
        String model = require("model", op.model());
        String reason = text(op.reason(), "reason");
        ModelVersion v = version(model, op.version());
        requireForceReason(op.force(), reason);
        Integer current = production(model);
        Integer expected = op.expectedProduction() != null ? op.expectedProduction() : current;
        String refusal = refusal(v, op.force(), "promoted");
        if (refusal != null) {
            return new Change("promote", model, v.version(), Change.Outcome.REFUSED, current, current, null, refusal);
        }
        if (!Objects.equals(current, expected)) {
            return new Change("promote", model, v.version(), Change.Outcome.CONFLICT, current, current, null,
                    "production is " + describe(current) + ", not " + describe(expected) + " as expected; nothing changed");
        }
        if (Objects.equals(current, v.version())) {
            return new Change("promote", model, v.version(), Change.Outcome.UNCHANGED, current, current, null,
                    "v" + v.version() + " already serves as production");
        }
        ready(v);
        boolean forced = op.force() && !v.blessed() || op.force() && v.approvalIs(ApprovalStatus.REJECTED);
        String why = reason != null ? reason : "promoted by " + op.actor() + " (" + v.blessing().reason() + ")";
        return move(AuditEntry.PROMOTE, RegistryEvent.PROMOTED, v, expected, op.actor(), why, forced);
    }

    /** {@code rollback_model}: back to {@code to}, or to the version that served before the current one. */
    public Change rollback(RegistryOperation.Rollback op) {
        String model = require("model", op.model());
        String reason = text(op.reason(), "reason");
        versionsOf(model);
        requireForceReason(op.force(), reason);
        Integer current = production(model);
        if (current == null) {
            return new Change("rollback", model, op.to(), Change.Outcome.REFUSED, null, null, null,
                    "model " + model + " has no production version to roll back from");
        }
        Integer target = op.to();
        if (target == null) {
            target = previousProduction(model, current).orElse(null);
            if (target == null) {
                return new Change("rollback", model, null, Change.Outcome.REFUSED, current, current, null,
                        "no version served before v" + current + " (see `models history " + model
                                + "`); use --to VERSION");
            }
        }
        ModelVersion v = version(model, target);
        if (Objects.equals(current, target)) {
            return new Change("rollback", model, target, Change.Outcome.UNCHANGED, current, current, null,
                    "v" + target + " already serves as production");
        }
        String refusal = refusal(v, op.force(), "rolled back to");
        if (refusal != null) {
            return new Change("rollback", model, target, Change.Outcome.REFUSED, current, current, null, refusal);
        }
        ready(v);
        boolean forced = op.force() && (!v.blessed() || v.approvalIs(ApprovalStatus.REJECTED));
        String why = reason != null ? reason : "rolled back by " + op.actor() + " from v" + current + " to v" + target;
        return move(AuditEntry.ROLLBACK, RegistryEvent.ROLLED_BACK, v, current, op.actor(), why, forced);
    }

    /**
     * {@code approve_version}: a PENDING_APPROVAL version is promoted from the champion it was blessed
     * against. The approval is taken first (so a concurrent rejection loses), then production is
     * moved; if production moved meanwhile the version goes back to PENDING_APPROVAL and the answer
     * is a conflict.
     */
    public Change approve(RegistryOperation.Approve op) {
        String model = require("model", op.model());
        String reason = text(op.reason(), "reason");
        ModelVersion v = version(model, op.version());
        int version = v.version();
        Integer current = production(model);
        Integer champion = v.blessing().championVersion();
        if (v.approval() == null || v.approvalIs(ApprovalStatus.REJECTED)) {
            return new Change("approve", model, version, Change.Outcome.REFUSED, current, current, null,
                    "v" + version + " is " + (v.approval() == null ? "not waiting for approval" : "REJECTED: "
                            + v.approval().reason()) + "; only a PENDING_APPROVAL version can be approved");
        }
        if (v.approvalIs(ApprovalStatus.APPROVED) && Objects.equals(current, version)) {
            return new Change("approve", model, version, Change.Outcome.UNCHANGED, current, current, null,
                    "v" + version + " is approved and serves as production");
        }
        if (!v.blessed()) {
            return new Change("approve", model, version, Change.Outcome.REFUSED, current, current, null,
                    "v" + version + " is NOT_BLESSED: " + v.blessing().reason());
        }
        if (!Objects.equals(current, champion)) {
            return championMoved(model, version, current, champion);
        }
        ready(v);
        String why = reason != null ? reason : "approved by " + op.actor();
        Approval approved = new Approval(ApprovalStatus.APPROVED, op.actor(), clock.instant(), why);
        if (v.approvalIs(ApprovalStatus.PENDING_APPROVAL)
                && !registry.setApproval(model, version, approved, ApprovalStatus.PENDING_APPROVAL)) {
            ModelVersion now = version(model, version);
            return new Change("approve", model, version, Change.Outcome.CONFLICT, current, production(model), null,
                    "v" + version + " was decided meanwhile: " + (now.approval() == null ? "no approval"
                            : now.approval().status() + " by " + now.approval().actor()) + "; nothing changed");
        }
        if (!registry.moveAlias(model, ModelRegistry.PRODUCTION, version, champion)) {
            // Production moved between our read and our move: undo the approval, the version waits again.
            registry.setApproval(model, version, v.approvalIs(ApprovalStatus.PENDING_APPROVAL) ? v.approval()
                    : new Approval(ApprovalStatus.PENDING_APPROVAL, op.actor(), clock.instant(),
                    "approval undone: production moved"), ApprovalStatus.APPROVED);
            return championMoved(model, version, production(model), champion);
        }
        AuditEntry entry = new AuditEntry(model, clock.instant(), AuditEntry.APPROVE, op.actor(), champion, version,
                why);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.APPROVED, entry, Map.of()),
                RegistryEvent.of(RegistryEvent.PROMOTED, entry, Map.of()));
        return new Change("approve", model, version, Change.Outcome.CHANGED, champion, version, null,
                "approved: production " + describe(champion) + " -> v" + version);
    }

    private static Change championMoved(String model, int version, Integer current, Integer champion) {
        return new Change("approve", model, version, Change.Outcome.CONFLICT, current, current, null,
                "production moved to " + describe(current) + " after v" + version + " was blessed against "
                        + describe(champion) + "; approving would promote a version never compared with the current "
                        + "champion, so nothing changed (v" + version + " stays PENDING_APPROVAL: reject it, retrain, "
                        + "or promote it with --force and a reason)");
    }

    /** {@code reject_version}: a PENDING_APPROVAL version is rejected with the reason. */
    public Change reject(RegistryOperation.Reject op) {
        String model = require("model", op.model());
        String reason = text(op.reason(), "reason");
        if (reason == null || reason.isBlank()) {
            throw new ContractException("field \"reason\": a rejection needs a reason");
        }
        ModelVersion v = version(model, op.version());
        Integer current = production(model);
        if (v.approvalIs(ApprovalStatus.REJECTED)) {
            return new Change("reject", model, v.version(), Change.Outcome.UNCHANGED, current, current, null,
                    "v" + v.version() + " is already REJECTED: " + v.approval().reason());
        }
        if (!v.approvalIs(ApprovalStatus.PENDING_APPROVAL)) {
            return new Change("reject", model, v.version(), Change.Outcome.REFUSED, current, current, null,
                    "v" + v.version() + " is " + (v.approval() == null ? "not waiting for approval"
                            : v.approval().status().name()) + "; only a PENDING_APPROVAL version can be rejected");
        }
        Approval rejected = new Approval(ApprovalStatus.REJECTED, op.actor(), clock.instant(), reason);
        if (!registry.setApproval(model, v.version(), rejected, ApprovalStatus.PENDING_APPROVAL)) {
            ModelVersion now = version(model, v.version());
            return new Change("reject", model, v.version(), Change.Outcome.CONFLICT, current, production(model), null,
                    "v" + v.version() + " was decided meanwhile: " + (now.approval() == null ? "no approval"
                            : now.approval().status() + " by " + now.approval().actor()) + "; nothing changed");
        }
        AuditEntry entry = new AuditEntry(model, rejected.at(), "reject", op.actor(), null, v.version(), reason);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.REJECTED, entry, Map.of()));
        return new Change("reject", model, v.version(), Change.Outcome.CHANGED, current, current, null, reason);
    }

    /** {@code tag_version}: one key set to one value. */
    public Change tag(RegistryOperation.Tag op) {
        String model = require("model", op.model());
        if (!TAG_KEY.matcher(op.key()).matches()) {
            throw new ContractException("field \"key\": tag keys are 1-128 characters of A-Z a-z 0-9 _ . : / -, got \""
                    + op.key() + "\"");
        }
        if (op.value().length() > MAX_TAG_VALUE) {
            throw new ContractException("field \"value\": at most " + MAX_TAG_VALUE + " characters");
        }
        ModelVersion v = version(model, op.version());
        Integer current = production(model);
        if (op.value().equals(v.tags().get(op.key()))) {
            return new Change("tag", model, v.version(), Change.Outcome.UNCHANGED, current, current, null,
                    op.key() + "=" + op.value() + " is already set");
        }
        if (!registry.tag(model, v.version(), op.key(), op.value())) {
            throw new ContractException("model " + model + " has no version " + v.version());
        }
        String what = op.key() + "=" + op.value();
        AuditEntry entry = new AuditEntry(model, clock.instant(), "tag", op.actor(), null, v.version(), what);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.TAGGED, entry, Map.of("key", op.key(), "value", op.value())));
        return new Change("tag", model, v.version(), Change.Outcome.CHANGED, current, current, null, what);
    }

    // ------------------------------------------------------------------ rules

    /** The one way production moves here: compare-and-set, then one audit entry, then one event. */
    private Change move(String action, String detailType, ModelVersion v, Integer expected, String actor, String why,
                        boolean forced) {
        String model = v.model();
        if (!registry.moveAlias(model, ModelRegistry.PRODUCTION, v.version(), expected)) {
            Integer now = production(model);
            return new Change(action, model, v.version(), Change.Outcome.CONFLICT, expected, now, null,
                    "production is " + describe(now) + ", not " + describe(expected) + " as expected (it moved while this "
                            + action + " was on its way); nothing changed");
        }
        AuditEntry entry = new AuditEntry(model, clock.instant(), action, actor, expected, v.version(),
                forced ? "FORCED: " + why : why, forced);
        registry.audit(entry);
        events.publish(RegistryEvent.of(detailType, entry, Map.of("verdict", v.blessing().verdict().name())));
        return new Change(action, model, v.version(), Change.Outcome.CHANGED, expected, v.version(),
                forced ? Boolean.TRUE : null, "production " + describe(expected) + " -> v" + v.version());
    }

    /** Why {@code v} may not serve, or null when it may. */
    private static String refusal(ModelVersion v, boolean force, String verb) {
        String name = "v" + v.version();
        if (v.approvalIs(ApprovalStatus.PENDING_APPROVAL)) {
            return name + " is PENDING_APPROVAL: use `models approve " + v.model() + " " + v.version()
                    + "` (it promotes from the champion it was blessed against) or `models reject`";
        }
        if (force) {
            return null;
        }
        if (v.approvalIs(ApprovalStatus.REJECTED)) {
            return name + " was REJECTED by " + v.approval().actor() + ": " + v.approval().reason()
                    + "; it can be " + verb + " only with --force and a reason";
        }
        if (!v.blessed()) {
            return name + " is NOT_BLESSED (" + v.blessing().reason() + "); it can be " + verb
                    + " only with --force and a reason";
        }
        return null;
    }

    /**
     * The version that served before the current one: production's history replayed from the audit
     * trail as a stack (a promotion or approval pushes, a rollback returns to an earlier entry), so
     * rolling back twice goes back twice.
     */
    Optional<Integer> previousProduction(String model, int current) {
        List<Integer> stack = new ArrayList<>();
        for (AuditEntry e : registry.auditTrail(model)) {
            if (!e.movedProduction()) {
                continue;
            }
            if (AuditEntry.ROLLBACK.equals(e.action()) && stack.contains(e.toVersion())) {
                int last = stack.lastIndexOf(e.toVersion());
                stack.subList(last + 1, stack.size()).clear();
            } else {
                stack.add(e.toVersion());
            }
        }
        while (!stack.isEmpty() && stack.get(stack.size() - 1) == current) {
            stack.remove(stack.size() - 1);
        }
        return stack.isEmpty() ? Optional.empty() : Optional.of(stack.get(stack.size() - 1));
    }

    private void ready(ModelVersion v) {
        ArtifactLoader.Result result = artifacts.load(v.artifact());
        if (result instanceof ArtifactLoader.Unavailable u) {
            throw new IntegrityException("model " + v.model() + " v" + v.version() + ": " + u.reason());
        }
    }

    private ApprovalPolicy policy(ModelVersion latest) {
        return ApprovalPolicies.of(store, latest.lineage().dataset());
    }

    private Integer production(String model) {
        return registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
    }

    private List<ModelVersion> versionsOf(String model) {
        require("model", model);
        List<ModelVersion> versions = registry.versions(model);
        if (versions.isEmpty()) {
            throw new ContractException("there is no model " + model);
        }
        return versions;
    }

    private ModelVersion version(String model, int version) {
        require("model", model);
        return registry.find(model, version).orElseThrow(() -> new ContractException(
                registry.versions(model).isEmpty() ? "there is no model " + model
                        : "model " + model + " has no version " + version));
    }

    private static void requireForceReason(boolean force, String reason) {
        if (force && (reason == null || reason.isBlank())) {
            throw new ContractException("field \"reason\": --force needs a reason, which the audit trail keeps");
        }
    }

    private static String require(String kind, String name) {
        if (!Names.isValid(name)) {
            throw new ContractException("field \"" + kind + "\": " + kind + " name \"" + name
                    + "\" is invalid: use 1-40 characters of a-z, 0-9, '-' and '_'");
        }
        return name;
    }

    private static String text(String value, String field) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new ContractException("field \"" + field + "\": at most " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static String describe(Integer version) {
        return version == null ? "no production version" : "v" + version;
    }
}

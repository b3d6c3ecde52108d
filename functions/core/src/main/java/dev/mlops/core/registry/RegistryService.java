package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.search.PinnedDataset;
import dev.mlops.core.data.Schema;
import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.model.ArtifactRef;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.Blessing;
import dev.mlops.core.domain.Lineage;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.TrainingSummary;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.model.explain.FeatureImportance;
import dev.mlops.core.train.Evaluation;
import dev.mlops.core.pipeline.BlessingPolicy;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.Promotion;
import dev.mlops.core.pipeline.Registration;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RegistryEvents;
import dev.mlops.core.ports.RunLog;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.mlops.core.registry.Production.describe;

/**
 * The registry's workflow: register a run's best candidate (blessed or not against the champion),
 * promote it with a compare-and-set from the champion it was blessed against (or, under a shadow or canary
 * rollout strategy, start a rollout of it beside that champion), record a failure, retry a failed run. Every action is safe to retry and to replay: it acts only on the run it
 * names, and only in the state the pipeline would have left it, so nothing finished is rewritten.
 */
public final class RegistryService {

    private static final Logger LOG = Logger.getLogger(RegistryService.class.getName());
    /**
     * The rows read for a version's permutation importance: it measures the first 1,000 test rows, which a sample
     * this size holds for any test fraction of 1 % or more (so the figures are those of the whole file).
     */
    static final int IMPORTANCE_SAMPLE_ROWS = 100_000;

    /** Output of {@code record_failure}. */
    public record FailureRecorded(String runId, boolean recorded, String reason) {
    }

    /** Output of {@code retry_run}. */
    public record RetryStarted(String runId, String newRunId, int attempt, String executionArn) {
    }

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final RunLog runs;
    private final PipelineLauncher launcher;
    private final ArtifactLoader artifacts;
    private final Clock clock;
    private final RegistryEvents events;
    private final Production production;
    private final Rollouts rollouts;

    public RegistryService(ObjectStore store, ModelRegistry registry, RunLog runs, PipelineLauncher launcher,
                           Clock clock) {
        this(store, registry, runs, launcher, RegistryEvents.NONE, clock);
    }

    /** A service that announces every registration, verdict, approval request and promotion on {@code events}. */
    public RegistryService(ObjectStore store, ModelRegistry registry, RunLog runs, PipelineLauncher launcher,
                           RegistryEvents events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.runs = runs;
        this.launcher = launcher;
        this.artifacts = new ArtifactLoader(store);
        this.clock = clock;
        this.events = events;
        this.production = new Production(registry, events, clock);
        this.rollouts = new Rollouts(registry, events, clock);
    }

    /** Runs one task. */
    public Object handle(RegistryTask task) {
        if (task instanceof RegistryTask.Register r) {
            return register(r);
        }
        if (task instanceof RegistryTask.Promote p) {
            return promote(p);
        }
        if (task instanceof RegistryTask.RecordFailure f) {
            return recordFailure(f);
        }
        return retry((RegistryTask.RetryRun) task);
    }

    /**
     * Registers the run's best candidate as the next version. A retried step returns the version the
     * run already registered, finishing only what its first attempt left undone (folder, audit, announcement).
     *
     * @throws ContractException  when the run is not RUNNING or does not match the task
     * @throws IntegrityException when the candidate's artifact is missing or does not hash to its sha256
     */
    public Registration register(RegistryTask.Register task) {
        String model = Names.require("model", task.model());
        Optional<ModelVersion> already = registry.versionOfRun(model, task.runId());
        if (already.isPresent()) {
            // A retried step: the first attempt may have stopped after the version item (the commit point) and
            // before the people's copy, the audit entry or the announcement: finish what is missing.
            ModelVersion v = already.get();
            if (store.head(Layout.modelPrefix(v.model(), v.version()) + "model-card.json", null).isEmpty()) {
                writeVersionFolder(v, registeredCandidate(task, v));
            }
            if (registry.auditTrail(model).stream().noneMatch(e -> e.is(AuditAction.REGISTER)
                    && Objects.equals(e.toVersion(), v.version()))) {
                Blessing b = v.blessing();
                registry.audit(new AuditEntry(model, clock.instant(), AuditAction.REGISTER, task.runId(), null, v.version(),
                        (b.blessed() ? "BLESSED: " : "NOT_BLESSED: ") + b.reason()));
            }
            if (!v.blessed()) {
                runs.end(task.runId(), RunEnding.notBlessed(v.version(), v.blessing().championVersion(),
                        v.blessing().reason()));
            }
            events.publish(registered(v));
            return registration(v);
        }
        Run run = runningRun(task.runId(), "register");
        if (!run.model().equals(model) || !run.datasetVersion().equals(task.datasetVersion())) {
            throw new ContractException("run " + run.runId() + " trains model " + run.model() + " on dataset version "
                    + run.datasetVersion() + ", not model " + model + " on " + task.datasetVersion());
        }
        TrainedCandidate best = BlessingRule.best(task.candidates(), task.blessing());
        BlessingPolicy policy = task.blessing().forTask(best.candidate().taskType());
        ArtifactRef artifact = new ArtifactRef(best.artifactKey(), best.sha256(), best.modelClass(), best.signatureKey(),
                best.metricsKey(), best.provenanceKey());
        ArtifactLoader.Ready challenger = ready(artifact, "candidate " + best.candidateIndex() + " of run " + run.runId());

        Blessing blessing = judge(task, best, challenger, policy);
        ModelVersion draft = new ModelVersion(model, 0, clock.instant(),
                new Lineage(task.runId(), task.dataset(), task.datasetVersion(), task.source(), task.label(),
                        Layout.profile(task.dataset(), task.datasetVersion())),
                artifact,
                new TrainingSummary(best.candidate().algorithm(), best.candidate().hyperParameters(),
                        best.candidate().split(), best.accuracy(), best.macroF1(), best.trainRows(), best.testRows()),
                blessing);
        ModelVersion v = registry.register(draft);
        registry.audit(new AuditEntry(model, clock.instant(), AuditAction.REGISTER, task.runId(), null, v.version(),
                (blessing.blessed() ? "BLESSED: " : "NOT_BLESSED: ") + blessing.reason()));
        writeVersionFolder(v, best);
        if (!blessing.blessed()) {
            runs.end(task.runId(), RunEnding.notBlessed(v.version(), blessing.championVersion(), blessing.reason()));
        }
        events.publish(registered(v));
        return registration(v);
    }

    /** The step's output: the version and the verdict on it. */
    private static Registration registration(ModelVersion v) {
        Blessing b = v.blessing();
        return new Registration(v.model(), v.version(), b.blessed(), b.reason(), b.championVersion(), b.metric(),
                b.challengerScore(), b.championScore(), b.comparedRows());
    }

    /** The events of a registration: the version, then the verdict on it. */
    private static List<RegistryEvent> registered(ModelVersion v) {
        Blessing b = v.blessing();
        Map<String, Object> registeredDetail = new LinkedHashMap<>();
        registeredDetail.put("actor", v.lineage().runId());
        registeredDetail.put("run_id", v.lineage().runId());
        registeredDetail.put("dataset", v.lineage().dataset());
        registeredDetail.put("dataset_version", v.lineage().datasetVersion());
        registeredDetail.put("sha256", v.artifact().sha256());
        registeredDetail.put("verdict", b.verdict().name());
        Map<String, Object> verdictDetail = new LinkedHashMap<>();
        verdictDetail.put("actor", v.lineage().runId());
        verdictDetail.put("verdict", b.verdict().name());
        verdictDetail.put("reason", b.reason());
        verdictDetail.put("metric", b.metric());
        verdictDetail.put("champion_version", b.championVersion());
        verdictDetail.put("challenger_score", b.challengerScore());
        verdictDetail.put("champion_score", b.championScore());
        verdictDetail.put("compared_rows", b.comparedRows());
        return List.of(new RegistryEvent(RegistryEvent.REGISTERED, v.model(), v.version(), v.createdAt(), registeredDetail),
                new RegistryEvent(b.blessed() ? RegistryEvent.BLESSED : RegistryEvent.NOT_BLESSED, v.model(), v.version(),
                        v.createdAt(), verdictDetail));
    }

    private Blessing judge(RegistryTask.Register task, TrainedCandidate best, ArtifactLoader.Ready challenger,
                           BlessingPolicy policy) {
        Optional<Integer> championNumber = registry.alias(task.model(), ModelRegistry.PRODUCTION);
        if (championNumber.isEmpty()) {
            return BlessingRule.firstVersion(policy);
        }
        int number = championNumber.get();
        Optional<ModelVersion> champion = registry.find(task.model(), number);
        if (champion.isEmpty()) {
            return BlessingRule.unscorable(policy, number, "production points at a version the registry does not have");
        }
        ArtifactLoader.Result loaded = artifacts.load(champion.get().artifact());
        if (loaded instanceof ArtifactLoader.Unavailable u) {
            return BlessingRule.unscorable(policy, number, u.detail());
        }
        CsvTable table = PinnedDataset.load(store, task.source());
        Schema schema = store.findJson(Layout.validatedSchema(task.dataset(), task.datasetVersion()), Schema.class)
                .orElseThrow(() -> new IntegrityException("dataset version " + task.dataset() + "/" + task.datasetVersion()
                        + " has no validated schema"));
        ChampionComparison.Result result = ChampionComparison.compare(table, schema, challenger.predictor(),
                best.candidate().split(), ((ArtifactLoader.Ready) loaded).predictor(), champion.get().training().split(),
                policy.metric());
        return result instanceof ChampionComparison.Compared c
                ? BlessingRule.compared(policy, best.candidate().taskType(), number, c)
                : BlessingRule.unscorable(policy, number, ((ChampionComparison.Unscorable) result).reason());
    }

    /**
     * Points production at the run's version if production is still the champion the version was
     * blessed against. If production moved meanwhile, nothing is overwritten: the run ends
     * CHAMPION_MOVED with the reason.
     *
     * @throws ContractException  when the version, the run or the expected champion do not match
     * @throws IntegrityException when the version's artifact no longer matches its sha256
     */
    public Promotion promote(RegistryTask.Promote task) {
        String model = Names.require("model", task.model());
        int version = task.version();
        ModelVersion v = registry.find(model, version)
                .orElseThrow(() -> new ContractException("model " + model + " has no version " + version));
        if (!task.runId().equals(v.lineage().runId())) {
            throw new ContractException("model " + model + " v" + version + " was registered by run "
                    + v.lineage().runId() + ", not by run " + task.runId());
        }
        Run run = runs.find(task.runId())
                .orElseThrow(() -> new ContractException("there is no run " + task.runId()));
        Integer current = production.version(model);
        if (Objects.equals(current, version)) {
            // A retried step whose first attempt got through (and may not have announced it).
            runs.end(run.runId(), RunEnding.promoted(version));
            events.publish(promoted(lastMoveTo(model, version, run.runId(), task.expectedChampion(), v)));
            return new Promotion(model, version, Promotion.Outcome.ALREADY_PROMOTED, version,
                    "v" + version + " already serves as production");
        }
        if (v.approvalIs(ApprovalStatus.PENDING_APPROVAL)) {
            // A retried step whose first attempt asked for approval.
            return awaitApproval(run, v, current);
        }
        Optional<Rollout> underWay = rollouts.active(model);
        if (underWay.isPresent() && underWay.get().challenger() == version) {
            // A retried step whose first attempt started the rollout.
            return rolloutStarted(run, underWay.get());
        }
        if (run.status() != RunStatus.RUNNING) {
            throw new ContractException("run " + run.runId() + " is " + run.status()
                    + "; the pipeline promotes only for a RUNNING run (use the registry commands to move production)");
        }
        if (!v.blessed()) {
            throw new ContractException("model " + model + " v" + version + " is NOT_BLESSED and cannot be promoted: "
                    + v.blessing().reason());
        }
        if (!Objects.equals(task.expectedChampion(), v.blessing().championVersion())) {
            throw new ContractException("expected_champion is " + task.expectedChampion() + " but v" + version
                    + " was blessed against " + describe(v.blessing().championVersion()));
        }
        ready(v.artifact(), "model " + model + " v" + version);
        PipelineConfig config = DatasetConfigs.of(store, v.lineage().dataset());
        if (config.approval().manual()) {
            return awaitApproval(run, v, current);
        }
        if (config.rollout().gradual() && task.expectedChampion() != null) {
            Rollouts.Result started = rollouts.start(v, config.rollout(), task.expectedChampion(), run.runId(),
                    v.blessing().reason(), true);
            if (started instanceof Rollouts.Changed changed) {
                return rolloutStarted(run, changed.rollout());
            }
            if (started instanceof Rollouts.Unchanged unchanged) {
                return rolloutStarted(run, unchanged.rollout());
            }
            if (started instanceof Rollouts.Refused refused) {
                throw new ContractException("model " + model + " v" + version + " cannot be rolled out: "
                        + refused.reason());
            }
            return championMoved(run, version, ((Rollouts.Conflict) started).production(), task.expectedChampion());
        }
        Production.Result result = production.move(Production.Move.of(AuditAction.PROMOTE, v,
                task.expectedChampion(), run.runId(), v.blessing().reason()),
                () -> runs.end(run.runId(), RunEnding.promoted(version)));
        if (result instanceof Production.Moved) {
            return new Promotion(model, version, Promotion.Outcome.PROMOTED, version,
                    "production: " + describe(task.expectedChampion()) + " -> v" + version);
        }
        Integer moved = ((Production.Conflict) result).production();
        if (Objects.equals(moved, version)) {
            runs.end(run.runId(), RunEnding.promoted(version));
            events.publish(promoted(lastMoveTo(model, version, run.runId(), task.expectedChampion(), v)));
            return new Promotion(model, version, Promotion.Outcome.ALREADY_PROMOTED, version,
                    "v" + version + " already serves as production");
        }
        return championMoved(run, version, moved, task.expectedChampion());
    }

    /** Production moved away from the champion the version was blessed against: nothing was overwritten. */
    private Promotion championMoved(Run run, int version, Integer moved, Integer champion) {
        String reason = "production moved to " + describe(moved) + " after v" + version + " was blessed against "
                + describe(champion) + "; nothing was overwritten (v" + version + " stays registered and BLESSED)";
        runs.end(run.runId(), RunEnding.championMoved(version, moved, reason));
        return new Promotion(run.model(), version, Promotion.Outcome.CHAMPION_MOVED, moved, reason);
    }

    /** The version went live as a rollout's challenger: the run ends ROLLOUT_STARTED, production did not move. */
    private Promotion rolloutStarted(Run run, Rollout rollout) {
        String reason = "rollout strategy " + rollout.strategy() + ": " + rollout.describe()
                + "; the scheduled check promotes or aborts it on live evidence";
        runs.end(run.runId(), RunEnding.rolloutStarted(rollout.challenger(), rollout.production(), reason));
        return new Promotion(rollout.model(), rollout.challenger(), Promotion.Outcome.ROLLOUT_STARTED,
                rollout.production(), reason);
    }

    /**
     * The manual approval policy: the blessed version waits as PENDING_APPROVAL (asked once, audited
     * once), the run ends PENDING_APPROVAL, and production stays where it is until a person approves.
     */
    private Promotion awaitApproval(Run run, ModelVersion v, Integer current) {
        String model = v.model();
        int version = v.version();
        String reason = "approval policy manual: v" + version + " (BLESSED against "
                + describe(v.blessing().championVersion()) + ") waits for `models approve " + model + " " + version
                + "`; production stays " + describe(current);
        Approval pending = new Approval(ApprovalStatus.PENDING_APPROVAL, run.runId(), clock.instant(), reason);
        AuditEntry asked = new AuditEntry(model, pending.at(), AuditAction.APPROVAL_REQUESTED, run.runId(),
                v.blessing().championVersion(), version, reason);
        if (registry.setApproval(model, version, pending, null)) {
            registry.audit(asked);
        }
        runs.end(run.runId(), RunEnding.pendingApproval(version, current, reason));
        events.publish(RegistryEvent.of(RegistryEvent.PENDING_APPROVAL, asked, Map.of()));
        return new Promotion(model, version, Promotion.Outcome.PENDING_APPROVAL, current, reason);
    }

    /** The audit entry of the move that put {@code version} in production, or one rebuilt from the task. */
    private AuditEntry lastMoveTo(String model, int version, String runId, Integer expected, ModelVersion v) {
        List<AuditEntry> trail = registry.auditTrail(model);
        for (int i = trail.size() - 1; i >= 0; i--) {
            AuditEntry e = trail.get(i);
            if (e.movedProduction() && Objects.equals(e.toVersion(), version)) {
                return e;
            }
        }
        return new AuditEntry(model, clock.instant(), AuditAction.PROMOTE, runId, expected, version,
                v.blessing().reason());
    }

    private static RegistryEvent promoted(AuditEntry move) {
        return RegistryEvent.of(RegistryEvent.PROMOTED, move, Map.of());
    }

    /**
     * Ends a RUNNING run as FAILED with the error the state machine caught. A run that is not
     * RUNNING (finished, or unknown) is left alone and the answer says so.
     */
    public FailureRecorded recordFailure(RegistryTask.RecordFailure task) {
        String error = task.failure().getOrDefault("Error", "Unknown");
        String cause = task.failure().getOrDefault("Cause", "");
        boolean recorded = runs.end(task.runId(), RunEnding.failed(error, cause));
        if (!recorded) {
            String state = runs.find(task.runId()).map(r -> "is " + r.status()).orElse("does not exist");
            return new FailureRecorded(task.runId(), false, "run " + task.runId() + " " + state
                    + "; only a RUNNING run can be marked FAILED, nothing was recorded");
        }
        if (task.model() != null && Names.isValid(task.model())) {
            registry.audit(AuditEntry.runEnded(task.model(), clock.instant(), RunStatus.FAILED, task.runId(),
                    error + ": " + firstLine(cause)));
        }
        return new FailureRecorded(task.runId(), true, error);
    }

    /**
     * Starts a new attempt of a FAILED, ABORTED or TIMED_OUT run (a RUNNING one is reconciled with its execution
     * first), under its own execution name ({@code <first run>-r<n>}),
     * linked to the run it retries, with exactly the request of the first attempt.
     */
    public RetryStarted retry(RegistryTask.RetryRun task) {
        Run run = runs.find(task.runId()).orElseThrow(() -> new ContractException("there is no run " + task.runId()));
        if (run.status() == RunStatus.RUNNING) {
            // Its execution may have ended where no step could record it (stopped, timed out, killed).
            run = new RunReconciler(runs, launcher, registry, clock).reconcile(run);
        }
        if (!run.status().retryable()) {
            throw new ContractException("run " + run.runId() + " is " + run.status()
                    + (run.status() == RunStatus.RUNNING ? " (its execution is running)" : "")
                    + "; only a FAILED, ABORTED or TIMED_OUT run can be retried");
        }
        if (run.request() == null) {
            throw new ContractException("run " + run.runId() + " has no recorded request to retry");
        }
        String first = run.attempt() > 1 && run.runId().endsWith("-r" + run.attempt())
                ? run.runId().substring(0, run.runId().length() - ("-r" + run.attempt()).length()) : run.runId();
        int attempt = run.attempt() + 1;
        while (true) {
            String id = RunRequest.retryRunId(first, attempt);
            Optional<Run> existing = runs.find(id);
            if (existing.isPresent() && existing.get().status() == RunStatus.RUNNING) {
                throw new ContractException("run " + run.runId() + " is being retried already as " + id);
            }
            if (existing.isEmpty()) {
                RunRequest request = run.request().withRunId(id);
                Run next = Run.started(request, launcher.executionIdFor(id), attempt, run.runId(), clock.instant());
                if (!runs.start(next)) {
                    throw new ContractException("run " + run.runId() + " is being retried already as " + id);
                }
                PipelineLauncher.Launch launch = launcher.start(request);
                return new RetryStarted(run.runId(), id, attempt, launch.executionId());
            }
            attempt++;
        }
    }

    private Run runningRun(String runId, String action) {
        Run run = runs.find(runId).orElseThrow(() -> new ContractException("there is no run " + runId + "; " + action
                + " acts only on a RUNNING run"));
        if (run.status() != RunStatus.RUNNING) {
            throw new ContractException("run " + runId + " is " + run.status() + "; " + action
                    + " acts only on a RUNNING run");
        }
        return run;
    }

    private ArtifactLoader.Ready ready(ArtifactRef artifact, String what) {
        ArtifactLoader.Result result = artifacts.load(artifact);
        if (result instanceof ArtifactLoader.Unavailable u) {
            throw new IntegrityException(what + ": " + u.detail());
        }
        return (ArtifactLoader.Ready) result;
    }

    /**
     * Copies the winning artifacts to models/<model>/<version>/ for people, with the report and the model card
     * (last, so a card present means the folder is complete: a retried Register finishes a folder without one).
     */
    private void writeVersionFolder(ModelVersion v, TrainedCandidate best) {
        String prefix = Layout.modelPrefix(v.model(), v.version());
        FeatureImportance importance = importance(v, best);
        store.copy(best.artifactKey(), prefix + "model.tribuo");
        store.copy(best.signatureKey(), prefix + "signature.json");
        if (best.metricsKey() != null) {
            store.copy(best.metricsKey(), prefix + "metrics.json");
        }
        store.put(prefix + "report.html", ModelCard.report(store, v, best, importance), "text/html; charset=utf-8");
        store.putJson(prefix + "model-card.json", ModelCard.of(store, v, best, importance));
    }

    /**
     * The version's permutation importance on its test rows (found again by row hash in the pinned dataset), for
     * the card and the report: only the registered candidate is measured, not every candidate of the search.
     * Deterministic, so a retried step writes the same. When it cannot be measured the card goes without it,
     * with the reason logged: it explains a version, it does not decide one.
     */
    private FeatureImportance importance(ModelVersion v, TrainedCandidate best) {
        try {
            // A bounded sample: the measured rows are the first test rows, whatever the dataset's size (5M rows would
            // not fit the function's memory).
            CsvTable table = PinnedDataset.head(store, v.lineage().source(), IMPORTANCE_SAMPLE_ROWS);
            Schema schema = store.findJson(Layout.validatedSchema(v.lineage().dataset(), v.lineage().datasetVersion()),
                    Schema.class).orElseThrow(() -> new IntegrityException("no validated schema"));
            List<Integer> rows = Evaluation.testRows(table, schema, best.candidate().split());
            if (rows.isEmpty()) {
                return null;
            }
            ArtifactLoader.Ready model = ready(v.artifact(), "version " + v.version());
            return Evaluation.importance(model.predictor(), table, schema, rows, best.candidate().seed());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "feature importance not measured", new Object[] {Map.of("model", v.model(),
                    "version", v.version(), "error", e.getClass().getSimpleName() + ": " + e.getMessage())});
            return null;
        }
    }

    /** The candidate a version was registered from: the task's candidate whose artifact the version holds. */
    private static TrainedCandidate registeredCandidate(RegistryTask.Register task, ModelVersion v) {
        return task.candidates().stream().filter(c -> v.artifact().modelKey().equals(c.artifactKey())).findFirst()
                .orElseThrow(() -> new IntegrityException("version " + v.model() + " v" + v.version() + " holds "
                        + v.artifact().modelKey() + ", which is none of the candidates of run " + task.runId()));
    }


    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

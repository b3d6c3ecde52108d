package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.PinnedDataset;
import dev.mlops.core.data.Schema;
import dev.mlops.core.domain.ArtifactRef;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.Blessing;
import dev.mlops.core.domain.Lineage;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.TrainingSummary;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.pipeline.BlessingPolicy;
import dev.mlops.core.pipeline.Promotion;
import dev.mlops.core.pipeline.Registration;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.train.ModelCard;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry's workflow: register a run's best candidate (blessed or not against the champion),
 * promote it with a compare-and-set from the champion it was blessed against, record a failure,
 * retry a failed run. Every action is safe to retry and to replay: it acts only on the run it
 * names, and only in the state the pipeline would have left it, so nothing finished is rewritten.
 */
public final class RegistryService {

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

    public RegistryService(ObjectStore store, ModelRegistry registry, RunLog runs, PipelineLauncher launcher,
                           Clock clock) {
        this.store = store;
        this.registry = registry;
        this.runs = runs;
        this.launcher = launcher;
        this.artifacts = new ArtifactLoader(store);
        this.clock = clock;
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
     * run already registered and writes nothing.
     *
     * @throws ContractException  when the run is not RUNNING or does not match the task
     * @throws IntegrityException when the candidate's artifact is missing or does not hash to its sha256
     */
    public Registration register(RegistryTask.Register task) {
        String model = Names.require("model", task.model());
        Optional<ModelVersion> already = registry.versionOfRun(model, task.runId());
        if (already.isPresent()) {
            return Registration.of(already.get());
        }
        Run run = runningRun(task.runId(), "register");
        if (!run.model().equals(model) || !run.datasetVersion().equals(task.datasetVersion())) {
            throw new ContractException("run " + run.runId() + " trains model " + run.model() + " on dataset version "
                    + run.datasetVersion() + ", not model " + model + " on " + task.datasetVersion());
        }
        BlessingPolicy policy = task.blessing();
        TrainedCandidate best = BlessingRule.best(task.candidates(), policy);
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
        registry.audit(new AuditEntry(model, clock.instant(), "register", task.runId(), null, v.version(),
                (blessing.blessed() ? "BLESSED: " : "NOT_BLESSED: ") + blessing.reason()));
        writeVersionFolder(v, best);
        if (!blessing.blessed()) {
            runs.end(task.runId(), RunEnding.notBlessed(v.version(), blessing.championVersion(), blessing.reason()));
        }
        return Registration.of(v);
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
            return BlessingRule.unscorable(policy, number, u.reason());
        }
        CsvTable table = PinnedDataset.load(store, task.source());
        Schema schema = store.findJson(Layout.validatedSchema(task.dataset(), task.datasetVersion()), Schema.class)
                .orElseThrow(() -> new IntegrityException("dataset version " + task.dataset() + "/" + task.datasetVersion()
                        + " has no validated schema"));
        ChampionComparison.Result result = ChampionComparison.compare(table, schema, challenger.predictor(),
                best.candidate().split(), ((ArtifactLoader.Ready) loaded).predictor(), champion.get().training().split(),
                policy.metric());
        return result instanceof ChampionComparison.Compared c
                ? BlessingRule.compared(policy, number, c)
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
        Integer current = registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
        if (Objects.equals(current, version)) {
            // A retried step whose first attempt got through.
            runs.end(run.runId(), RunEnding.promoted(version));
            return new Promotion(model, version, Promotion.Outcome.ALREADY_PROMOTED, version,
                    "v" + version + " already serves as production");
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
        if (registry.moveAlias(model, ModelRegistry.PRODUCTION, version, task.expectedChampion())) {
            registry.audit(new AuditEntry(model, clock.instant(), "promote", run.runId(), task.expectedChampion(),
                    version, v.blessing().reason()));
            runs.end(run.runId(), RunEnding.promoted(version));
            return new Promotion(model, version, Promotion.Outcome.PROMOTED, version,
                    "production: " + describe(task.expectedChampion()) + " -> v" + version);
        }
        Integer moved = registry.alias(model, ModelRegistry.PRODUCTION).orElse(null);
        if (Objects.equals(moved, version)) {
            runs.end(run.runId(), RunEnding.promoted(version));
            return new Promotion(model, version, Promotion.Outcome.ALREADY_PROMOTED, version,
                    "v" + version + " already serves as production");
        }
        String reason = "production moved to " + describe(moved) + " after v" + version + " was blessed against "
                + describe(task.expectedChampion()) + "; nothing was overwritten (v" + version
                + " stays registered and BLESSED)";
        runs.end(run.runId(), RunEnding.championMoved(version, moved, reason));
        return new Promotion(model, version, Promotion.Outcome.CHAMPION_MOVED, moved, reason);
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
            registry.audit(new AuditEntry(task.model(), clock.instant(), "run_failed", task.runId(), null, null,
                    error + ": " + firstLine(cause)));
        }
        return new FailureRecorded(task.runId(), true, error);
    }

    /**
     * Starts a new attempt of a FAILED run, under its own execution name ({@code <first run>-r<n>}),
     * linked to the run it retries, with exactly the request of the first attempt.
     */
    public RetryStarted retry(RegistryTask.RetryRun task) {
        Run run = runs.find(task.runId()).orElseThrow(() -> new ContractException("there is no run " + task.runId()));
        if (!run.status().retryable()) {
            throw new ContractException("run " + run.runId() + " is " + run.status() + "; only a FAILED run can be retried");
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
            throw new IntegrityException(what + ": " + u.reason());
        }
        return (ArtifactLoader.Ready) result;
    }

    /** Copies the winning artifacts to models/<model>/<version>/ for people, with the model card and report. */
    private void writeVersionFolder(ModelVersion v, TrainedCandidate best) {
        String prefix = Layout.modelPrefix(v.model(), v.version());
        store.copy(best.artifactKey(), prefix + "model.tribuo");
        store.copy(best.signatureKey(), prefix + "signature.json");
        store.copy(best.metricsKey(), prefix + "metrics.json");
        store.putJson(prefix + "model-card.json", ModelCard.of(store, v, best));
        store.put(prefix + "report.html", ModelCard.report(store, v, best), "text/html; charset=utf-8");
    }

    private static String describe(Integer version) {
        return version == null ? "no production version" : "v" + version;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

package dev.mlops.core.search;

import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.family.NativeLibrary;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import dev.mlops.core.train.TrainingTime;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Trains one candidate of a run on exactly the dataset version that was validated (S3 version id
 * and sha256 checked), and writes its artifacts and its tracking record under the run's prefix.
 * Writing is idempotent: a retried task writes the same keys with the same model bytes (training is
 * deterministic; the record's fit time is measured again), and a request that would put other model
 * bytes where a run's artifact already is fails with an {@link IntegrityException}.
 *
 * <p>A candidate whose family cannot run here (XGBoost without its native library), or whose estimated cost
 * ({@link TrainingTime}: rows × columns × family) exceeds the time the function has left, is not an error: it
 * comes back {@link TrainedCandidate#SKIPPED} at once with the reason (and the estimate), and is recorded so. A
 * run whose candidates are all skipped fails naming their reasons.
 */
public final class CandidateTrainer {

    private final ObjectStore store;
    private final Function<NativeLibrary, Optional<String>> nativeLibraries;
    private final Clock clock;

    public CandidateTrainer(ObjectStore store) {
        this(store, NativeLibrary::unavailableReason, Clock.systemUTC());
    }

    /**
     * With a probe of the families' native libraries (tests simulate a runtime where they do not load) and a
     * clock.
     */
    public CandidateTrainer(ObjectStore store, Function<NativeLibrary, Optional<String>> nativeLibraries, Clock clock) {
        this.store = store;
        this.nativeLibraries = nativeLibraries;
        this.clock = clock;
    }

    /** Trains and stores one candidate, without a time limit. */
    public TrainedCandidate train(TrainingTask task) {
        return train(task, Long.MAX_VALUE);
    }

    /**
     * Trains and stores one candidate.
     *
     * @param remainingMillis the time this invocation has left; a candidate estimated to need more
     *                        ({@link TrainingTime}) fails at once with the reason
     * @throws IntegrityException       when the validated upload or its schema is gone or changed
     * @throws IllegalArgumentException when the data cannot train (the trainer's reason), or not in time
     */
    public TrainedCandidate train(TrainingTask task, long remainingMillis) {
        Names.require("dataset", task.dataset());
        Names.require("model", task.model());
        CandidateSpec c = task.candidate();
        Instant started = clock.instant();
        String recordKey = Layout.candidateRecord(task.model(), task.runId(), task.candidateIndex());
        Family family = Family.require(c.algorithm());
        Optional<String> unavailable = family.unavailableReason(nativeLibraries);
        if (unavailable.isPresent()) {
            return skipped(task, unavailable.get(), recordKey, started);
        }
        CsvTable table = PinnedDataset.load(store, task.source());
        Schema schema = store.findJson(Layout.validatedSchema(task.dataset(), task.datasetVersion()), Schema.class)
                .orElseThrow(() -> new IntegrityException("dataset version " + task.dataset() + "/"
                        + task.datasetVersion() + " has no validated schema at "
                        + Layout.validatedSchema(task.dataset(), task.datasetVersion())));
        TrainingConfig config = CandidateSearch.config(c);
        long estimate = TrainingTime.estimateMillis(config, table, schema);
        if (estimate > remainingMillis) {
            // Skipped before the first fit, with its estimate: never minutes of work the function cannot finish.
            return skipped(task, TrainingTime.tooSlow(config, estimate, remainingMillis), recordKey, started);
        }
        TrainingResult result = ModelTrainer.train(table, schema, config);
        return store(task, result, recordKey, started);
    }

    /**
     * The candidate a container task trained ({@link TrainingTask#collect()}): its record, read back from where
     * {@link #train} wrote it, so the state machine gets what the Lambda path returns.
     *
     * @throws IntegrityException when the task ended without writing the record
     */
    public TrainedCandidate collect(TrainingTask task) {
        String recordKey = Layout.candidateRecord(task.model(), task.runId(), task.candidateIndex());
        CandidateRecord record = store.findJson(recordKey, CandidateRecord.class).orElseThrow(() ->
                new IntegrityException("candidate " + task.candidateIndex() + " of run " + task.runId()
                        + " has no record at " + recordKey + ": its container task ended without writing it"));
        return record.toTrainedCandidate(recordKey);
    }

    private TrainedCandidate skipped(TrainingTask task, String reason, String recordKey, Instant started) {
        CandidateRecord skipped = CandidateRecord.skipped(task.runId(), task.candidateIndex(), task.candidate(), reason,
                started, clock.instant());
        store.putJson(recordKey, skipped);
        return skipped.toTrainedCandidate(recordKey);
    }

    private TrainedCandidate store(TrainingTask task, TrainingResult result, String recordKey, Instant started) {
        CandidateSpec c = task.candidate();
        String prefix = Layout.candidatePrefix(task.model(), task.runId(), task.candidateIndex());
        // A retry of the same task writes the same bytes. Other bytes under this key mean another request for
        // the same run and index (a replayed or hand-written event): the artifact a version may be registered
        // from is never replaced.
        store.find(prefix + CandidateRecord.MODEL).map(o -> Sha256.hex(o.bytes()))
                .filter(existing -> !existing.equals(result.artifact().sha256()))
                .ifPresent(existing -> {
                    throw new IntegrityException("candidate " + task.candidateIndex() + " of run " + task.runId()
                            + " already has an artifact with sha256 " + existing + " at " + prefix + CandidateRecord.MODEL
                            + "; this request trains one with sha256 " + result.artifact().sha256()
                            + ", and a run's artifacts are never replaced");
                });
        store.put(prefix + CandidateRecord.MODEL, result.artifact().bytes(), "application/octet-stream");
        store.putJson(prefix + CandidateRecord.SIGNATURE, result.signature());
        store.putJson(prefix + CandidateRecord.METRICS, CandidateRecord.MetricsDocument.of(c.selectionMetric(), result));
        store.put(prefix + CandidateRecord.PROVENANCE, result.provenanceJson().getBytes(StandardCharsets.UTF_8),
                "application/json");
        CandidateRecord record = CandidateRecord.trained(task.runId(), task.candidateIndex(), c, result, prefix, started,
                clock.instant());
        store.putJson(recordKey, record);
        return record.toTrainedCandidate(recordKey);
    }
}

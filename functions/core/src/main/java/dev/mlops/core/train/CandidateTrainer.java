package dev.mlops.core.train;

import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.PinnedDataset;
import dev.mlops.core.data.Schema;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.ports.ObjectStore;

import java.nio.charset.StandardCharsets;

/**
 * Trains one candidate of a run on exactly the dataset version that was validated (S3 version id
 * and sha256 checked), and writes its artifacts under the run's prefix. Writing is idempotent: a
 * retried task writes the same keys with the same bytes (training is deterministic).
 */
public final class CandidateTrainer {

    private final ObjectStore store;

    public CandidateTrainer(ObjectStore store) {
        this.store = store;
    }

    /**
     * Trains and stores one candidate.
     *
     * @throws IntegrityException       when the validated upload or its schema is gone or changed
     * @throws IllegalArgumentException when the data cannot train (the trainer's reason)
     */
    public TrainedCandidate train(TrainingTask task) {
        Names.require("dataset", task.dataset());
        Names.require("model", task.model());
        CsvTable table = PinnedDataset.load(store, task.source());
        Schema schema = store.findJson(Layout.validatedSchema(task.dataset(), task.datasetVersion()), Schema.class)
                .orElseThrow(() -> new IntegrityException("dataset version " + task.dataset() + "/"
                        + task.datasetVersion() + " has no validated schema at "
                        + Layout.validatedSchema(task.dataset(), task.datasetVersion())));
        CandidateSpec c = task.candidate();
        TrainingResult result = ModelTrainer.train(table, schema,
                new TrainingConfig(c.algorithm(), c.seed(), c.split(), c.hyperParameters()));

        String prefix = Layout.candidatePrefix(task.model(), task.runId(), task.candidateIndex());
        store.put(prefix + "model.tribuo", result.artifact().bytes(), "application/octet-stream");
        store.putJson(prefix + "signature.json", result.signature());
        store.putJson(prefix + "metrics.json", result.metrics());
        store.put(prefix + "provenance.json", result.provenanceJson().getBytes(StandardCharsets.UTF_8), "application/json");
        return new TrainedCandidate(task.candidateIndex(), c, prefix + "model.tribuo", result.artifact().sha256(),
                result.artifact().modelClass(), prefix + "signature.json", prefix + "metrics.json",
                prefix + "provenance.json", result.metrics().accuracy(), result.metrics().macroF1(),
                result.metrics().trainRows(), result.metrics().testRows());
    }
}

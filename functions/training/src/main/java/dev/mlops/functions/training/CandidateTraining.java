package dev.mlops.functions.training;

import dev.mlops.aws.PinnedDatasets;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;


/**
 * Trains one candidate on exactly the dataset version that was validated (S3 version id and
 * sha256 checked), and writes its artifacts under the run's prefix. Writing is idempotent:
 * a retried task overwrites the same keys with the same bytes (training is seeded).
 */
public final class CandidateTraining {

    private final S3ObjectStore store;

    public CandidateTraining(S3ObjectStore store) {
        this.store = store;
    }

    public TrainedCandidate train(TrainingTask task) {
        Names.require("dataset", task.dataset());
        Names.require("model", task.model());
        CsvTable table = PinnedDatasets.load(store, task.source());
        Schema schema = store.findJson(Layout.validatedSchema(task.dataset(), task.datasetVersion()), Schema.class)
                .orElseThrow(() -> new IllegalStateException("dataset version " + task.dataset() + "/"
                        + task.datasetVersion() + " has no validated schema"));
        CandidateSpec c = task.candidate();
        TrainingResult result = ModelTrainer.train(table, schema,
                new TrainingConfig(c.algorithm(), c.seed(), c.testFraction(), c.hyperParameters()));

        String prefix = Layout.candidatePrefix(task.model(), task.runId(), task.candidateIndex());
        store.put(prefix + "model.tribuo", result.artifact().bytes(), "application/octet-stream");
        store.putJson(prefix + "signature.json", result.signature());
        store.putJson(prefix + "metrics.json", result.metrics());
        store.put(prefix + "provenance.json", result.provenanceJson().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "application/json");
        return new TrainedCandidate(task.candidateIndex(), c, prefix + "model.tribuo", result.artifact().sha256(),
                result.artifact().modelClass(), prefix + "signature.json", prefix + "metrics.json",
                prefix + "provenance.json", result.metrics().accuracy(), result.metrics().macroF1(),
                result.metrics().trainRows(), result.metrics().testRows());
    }
}

package dev.mlops.functions.training;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.train.CandidateTrainer;

import java.util.Map;

/** State machine task (one Map item) → {@link CandidateTrainer} → the trained candidate's pointers and metrics. */
public final class TrainingHandler extends TaskHandler<TrainingTask, TrainedCandidate> {

    private final CandidateTrainer trainer;
    private final PowertoolsMetrics metrics;

    public TrainingHandler() {
        Adapters aws = Adapters.fromEnvironment();
        this.trainer = new CandidateTrainer(aws.objectStore());
        this.metrics = aws.metrics();
    }

    public TrainingHandler(CandidateTrainer trainer, PowertoolsMetrics metrics) {
        this.trainer = trainer;
        this.metrics = metrics;
    }

    @Override
    protected TrainedCandidate handle(TrainingTask task, Context context) {
        metrics.coldStart(context);
        TrainedCandidate trained = trainer.train(task);
        Log.info("candidate trained", Map.of("run_id", task.runId(), "candidate_index", trained.candidateIndex(),
                "algorithm", trained.candidate().algorithm(), "accuracy", trained.accuracy(), "macro_f1", trained.macroF1(),
                "sha256", trained.sha256()));
        return trained;
    }
}

package dev.mlops.functions.training;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.Log;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StackConfig;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;

import java.util.Map;

/** State machine task (one Map item) → {@link CandidateTraining} → the trained candidate's pointers and metrics. */
public final class TrainingHandler extends TaskHandler<TrainingTask, TrainedCandidate> {

    private final CandidateTraining training;

    public TrainingHandler() {
        this(new CandidateTraining(new S3ObjectStore(AwsClients.s3(), StackConfig.bucket())));
    }

    public TrainingHandler(CandidateTraining training) {
        this.training = training;
    }

    @Override
    protected TrainedCandidate handle(TrainingTask task, Context context) {
        TrainedCandidate trained = training.train(task);
        Log.info("candidate trained", Map.of("run_id", task.runId(), "candidate_index", trained.candidateIndex(),
                "algorithm", trained.candidate().algorithm(), "accuracy", trained.accuracy(), "macro_f1", trained.macroF1(),
                "sha256", trained.sha256()));
        return trained;
    }
}

package dev.mlops.functions.training;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.search.CandidateTrainer;

import java.util.LinkedHashMap;
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
        if (Boolean.TRUE.equals(task.collect())) {
            // Trained by a container task (ContainerTraining): its record is the result.
            return trainer.collect(task);
        }
        // The candidate must finish before the function's timeout; one that cannot fails at once, with the reason.
        TrainedCandidate trained = trainer.train(task, context == null ? Long.MAX_VALUE
                : context.getRemainingTimeInMillis());
        if (!trained.trained()) {
            Log.info("candidate skipped", Map.of("run_id", task.runId(), "candidate_index", trained.candidateIndex(),
                    "algorithm", trained.candidate().algorithm(), "reason", trained.reason()));
            return trained;
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("run_id", task.runId());
        fields.put("candidate_index", trained.candidateIndex());
        fields.put("algorithm", trained.candidate().algorithm());
        fields.put("selection_metric", trained.candidate().selectionMetric());
        fields.put("selection_score", trained.selectionScore() == null ? "none" : trained.selectionScore());
        fields.put("accuracy", trained.accuracy());
        fields.put("macro_f1", trained.macroF1());
        fields.put("fit_millis", trained.fitMillis());
        fields.put("sha256", trained.sha256());
        Log.info("candidate trained", fields);
        metrics.count("CandidatesTrained", 1, Map.of("Algorithm", trained.candidate().algorithm()));
        return trained;
    }
}

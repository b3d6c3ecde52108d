package dev.mlops.functions.batch;

import com.amazonaws.services.lambda.runtime.Context;
import dev.mlops.aws.Adapters;
import dev.mlops.aws.Log;
import dev.mlops.aws.TaskHandler;
import dev.mlops.core.batch.BatchScoring;
import dev.mlops.core.batch.PartResult;
import dev.mlops.core.batch.PartTask;
import dev.mlops.core.serving.ServedModels;

import java.util.Map;

/**
 * One item of the batch state machine's Distributed Map → {@link BatchScoring#scorePart}: a part of the input
 * scored by the version the job pinned, loaded once per container ({@link ServedModels}, as serving loads it).
 */
public final class BatchPartHandler extends TaskHandler<PartTask, PartResult> {

    private final BatchScoring batch;

    public BatchPartHandler() {
        this(BatchJobHandler.scoring(Adapters.fromEnvironment()));
    }

    public BatchPartHandler(BatchScoring batch) {
        this.batch = batch;
    }

    @Override
    protected PartResult handle(PartTask task, Context context) {
        PartResult result = batch.scorePart(task);
        Log.info("batch part scored", Map.of("model", task.plan().model(), "job", task.plan().job(),
                "part", result.part(), "rows", result.rows(), "errors", result.errors(), "millis", result.millis(),
                "phases", result.phases()));
        return result;
    }
}

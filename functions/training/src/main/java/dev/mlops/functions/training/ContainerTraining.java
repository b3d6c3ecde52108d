package dev.mlops.functions.training;

import dev.mlops.aws.Adapters;
import dev.mlops.core.Json;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.pipeline.TrainingTask;
import dev.mlops.core.search.CandidateTrainer;

/**
 * The training function's trainer as a container task (ECS on Fargate, {@code ecs:runTask.sync}): the state machine
 * sends candidates of datasets past one Lambda here, the task in the environment variable {@value #TASK_VARIABLE}
 * (the container override). It trains and stores the candidate exactly as {@link TrainingHandler} does, without
 * the function's time limit, and exits 0; the state machine then collects the record it wrote. Any failure exits
 * 1 with the reason on stderr (the task's log), which fails the state with {@code States.TaskFailed}.
 */
public final class ContainerTraining {

    /** The variable that carries the {@link TrainingTask} as JSON. */
    public static final String TASK_VARIABLE = "MLOPS_TRAINING_TASK";

    private ContainerTraining() {
    }

    public static void main(String[] args) {
        try {
            String json = System.getenv(TASK_VARIABLE);
            if (json == null || json.isBlank()) {
                throw new IllegalArgumentException("the environment variable " + TASK_VARIABLE
                        + " must hold the training task (the state machine's container override)");
            }
            TrainingTask task = Json.read(json, TrainingTask.class);
            TrainedCandidate trained = new CandidateTrainer(Adapters.fromEnvironment().objectStore()).train(task);
            System.out.println("candidate " + trained.candidateIndex() + " of run " + task.runId() + ": "
                    + trained.status() + (trained.trained() ? ", test accuracy " + trained.accuracy()
                    : " (" + trained.reason() + ")") + ", record " + trained.recordKey());
            System.exit(0);
        } catch (RuntimeException | Error e) {
            System.err.println("training failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }
}

package dev.mlops.local;

import dev.mlops.core.Layout;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The training pipeline's container path, on a copy of the template whose threshold (ContainerTrainingRows) sends
 * iris's 150 rows there: the candidate runs as an ECS task (ecs:runTask.sync, the local ECS running it as a
 * process held to the task definition's memory and CPU), its record is collected, and the version is registered
 * and promoted; a task that exits non-zero fails the run with States.TaskFailed and the stopped task as the cause.
 */
class ContainerTrainingIT {

    private static final String THRESHOLD = "Default: 300000";
    private static final String MAIN_CLASS = "Command: [dev.mlops.functions.training.ContainerTraining]";

    @Test
    void aDatasetPastTheThreshold_shouldTrainInAContainerTask_andBeRegisteredAndPromoted() throws Exception {
        Path home = Files.createTempDirectory("mlops-container-");
        try (TemplateCopy template = TemplateCopy.replacing(THRESHOLD, "Default: 100");
             LocalEnvironment env = LocalEnvironment.start(Repo.root(), home,
                     LocalEnvironment.Options.defaults(Repo.root()).withTemplate(template.file()))) {
            StackPorts stack = new StackPorts(env);
            stack.store().putJson(Layout.config("container-it"), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
            byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));

            stack.put("incoming/container-it/iris.csv", iris, Map.of());
            Run run = stack.awaitRun("container-it", Sha256.hex(iris));

            assertThat(run.status()).as(() -> run + "\ntask logs:\n" + taskLogs(home)).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.productionVersion()).isEqualTo(1);
            List<HistoryEvent> history = history(env, run);
            assertThat(history).filteredOn(e -> e.type() == HistoryEventType.TASK_SUCCEEDED)
                    .singleElement().satisfies(e -> {
                        assertThat(e.taskSucceededEventDetails().resourceType()).isEqualTo("ecs");
                        assertThat(e.taskSucceededEventDetails().output()).contains("\"ExitCode\":0")
                                .contains("\"LastStatus\":\"STOPPED\"");
                    });
            assertThat(stack.store().find(Layout.candidateRecord("container-it", run.runId(), 0))).isPresent();
            try (Stream<Path> logs = Files.walk(home.resolve("logs/ecs"))) {
                assertThat(logs.filter(p -> p.toString().endsWith(".log")).toList()).singleElement()
                        .satisfies(log -> assertThat(Files.readString(log)).contains("candidate 0 of run "
                                + run.runId() + ": TRAINED"));
            }
        } finally {
            delete(home);
        }
    }

    @Test
    void aContainerTaskThatExitsNonZero_shouldFailTheRunWithTheStoppedTaskAsTheCause() throws Exception {
        Path home = Files.createTempDirectory("mlops-container-");
        try (TemplateCopy template = TemplateCopy.replacing(Map.of(THRESHOLD, "Default: 100",
                MAIN_CLASS, "Command: [dev.mlops.functions.training.NoSuchTrainer]"));
             LocalEnvironment env = LocalEnvironment.start(Repo.root(), home,
                     LocalEnvironment.Options.defaults(Repo.root()).withTemplate(template.file()))) {
            StackPorts stack = new StackPorts(env);
            stack.store().putJson(Layout.config("broken-it"), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
            byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));

            stack.put("incoming/broken-it/iris.csv", iris, Map.of());
            Run run = stack.awaitRun("broken-it", Sha256.hex(iris));

            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).isEqualTo("States.TaskFailed");
            assertThat(run.cause()).contains("\"ExitCode\":1").contains("\"StopCode\":\"EssentialContainerExited\"")
                    .contains("\"TaskDefinitionArn\":\"arn:aws:ecs:");
            assertThat(run.productionVersion()).isNull();
        } finally {
            delete(home);
        }
    }

    private static List<HistoryEvent> history(LocalEnvironment env, Run run) {
        return env.clients().stepFunctions().getExecutionHistory(b -> b.executionArn(run.executionId()).maxResults(1000))
                .events();
    }

    private static String taskLogs(Path home) {
        try (Stream<Path> logs = Files.walk(home.resolve("logs/ecs"))) {
            StringBuilder text = new StringBuilder();
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
                text.append(log.getFileName()).append(":\n").append(Files.readString(log));
            }
            return text.toString();
        } catch (java.io.IOException e) {
            return "unreadable: " + e;
        }
    }

    private static void delete(Path home) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(home)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

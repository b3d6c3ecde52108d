package dev.mlops.functions.registry;

import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.registry.RunReconciler;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryHandlerTest {

    private final PipelineHarness p = new PipelineHarness();
    private final RegistryHandler handler = new RegistryHandler(p.registryService, p.queries, p.commands,
            new RunReconciler(p.runs, p.launcher, p.registry, p.clock), PowertoolsMetrics.fromEnvironment());

    private String call(String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSampleRecordFailure_onAFinishedRun_shouldAnswerThatNothingWasRecorded() throws Exception {
        // GIVEN the bundled iris dataset trained (the run the sample names)
        String run = p.upload("iris", "iris.csv", Datasets.read("iris"), java.util.Map.of()).runId();
        p.runToEnd(run);
        String sample = Files.readString(Path.of("../../events/RegistryFunction/record-failure.json"));
        assertThat(sample).contains(run);
        // WHEN
        String output = call(sample);
        // THEN
        assertThat(output).contains("\"recorded\":false").contains("is SUCCEEDED");
    }

    @Test
    void anOperation_shouldReachTheRegistryOperations_andAnswerInSnakeCase() throws Exception {
        // GIVEN iris trained
        String run = p.upload("iris", "iris.csv", Datasets.read("iris"), java.util.Map.of()).runId();
        p.runToEnd(run);
        // WHEN the rollback sample arrives: there is nothing before v1
        String output = call(Files.readString(Path.of("../../events/RegistryFunction/rollback-model.json")));
        // THEN a refusal, as a value
        assertThat(output).contains("\"outcome\":\"REFUSED\"").contains("no version served before v1")
                .contains("\"production_before\":1");
        assertThat(call("{\"action\":\"list_models\"}")).contains("\"latest_version\":1");
        assertThatThrownBy(() -> call("{\"action\":\"promote_model\",\"model\":\"iris\",\"version\":1}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("actor");
    }

    @Test
    void anUnknownActionOrField_shouldBeAContractErrorNamingIt() {
        assertThatThrownBy(() -> call("{\"action\":\"drop\",\"run_id\":\"r\"}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("unknown type \"drop\"");
        assertThatThrownBy(() -> call("{\"action\":\"retry_run\",\"run_id\":\"r\",\"force\":true}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("unknown field \"force\"");
    }

    @Test
    void theSampleExecutionStatusChange_shouldEndTheRunningRunAborted_once() throws Exception {
        // GIVEN iris uploaded, its run RUNNING, and the sample event naming that run's execution (the harness's
        // executions belong to the state machine "test")
        String run = p.upload("iris", "iris.csv", Datasets.read("iris"), java.util.Map.of()).runId();
        String sample = Files.readString(Path.of("../../events/RegistryFunction/execution-status-change.json"))
                .replace("mlops-local-TrainingPipeline", "test");
        assertThat(sample).contains(run);
        // WHEN it arrives, and again
        String output = call(sample);
        String replay = call(sample);
        // THEN the run ended ABORTED with the event's error and cause, and the replay changed nothing
        assertThat(output).contains("\"ended\":true").contains("\"status\":\"ABORTED\"");
        assertThat(replay).contains("\"ended\":false").contains("already ended ABORTED");
        Run ended = p.runs.find(run).orElseThrow();
        assertThat(ended.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(ended.error()).isEqualTo("Operator");
        assertThat(ended.cause()).isEqualTo("stopped by hand");
    }

    @Test
    void theSampleStatusChange_ofAnotherStateMachinesExecution_shouldChangeNothing() throws Exception {
        // GIVEN a RUNNING iris run and the sample as it is (an execution of mlops-local-TrainingPipeline)
        String run = p.upload("iris", "iris.csv", Datasets.read("iris"), java.util.Map.of()).runId();
        // WHEN
        String output = call(Files.readString(Path.of("../../events/RegistryFunction/execution-status-change.json")));
        // THEN
        assertThat(output).contains("\"ended\":false").contains("is not the execution of run");
        assertThat(p.runs.find(run).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void reconcileRuns_shouldSweep_andStrayInputsShouldBeContractErrors() throws Exception {
        // GIVEN a run whose execution failed uncaught
        String run = p.upload("iris", "iris.csv", Datasets.read("iris"), java.util.Map.of()).runId();
        p.launcher.end(run, dev.mlops.core.ports.PipelineLauncher.ExecutionStatus.FAILED, "States.Runtime", "killed");
        // WHEN
        String output = call(Files.readString(Path.of("../../events/RegistryFunction/reconcile-runs.json")));
        // THEN
        assertThat(output).contains("\"checked\":1").contains(run).contains("\"status\":\"FAILED\"");
        assertThat(p.runs.find(run).orElseThrow().cause()).isEqualTo("killed");
        assertThatThrownBy(() -> call("{\"action\":\"reconcile_runs\",\"dry\":true}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("dry");
        assertThatThrownBy(() -> call("{\"source\":\"aws.states\",\"detail-type\":\"Step Functions State Machine"
                + " Status Change\",\"detail\":{}}")).isInstanceOf(ContractException.class)
                .hasMessageContaining("not an execution status change");
    }
}

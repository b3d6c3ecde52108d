package dev.mlops.functions.registry;

import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.errors.ContractException;
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
    private final RegistryHandler handler = new RegistryHandler(p.registryService, p.operations,
            PowertoolsMetrics.fromEnvironment());

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
}

package dev.mlops.core;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.TrainingTask;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The project's own contracts reject unknown, missing and malformed fields, naming the field. */
class JsonContractsTest {

    @Test
    void unknownField_shouldBeRefusedByName() {
        assertThatThrownBy(() -> Json.read("{\"action\":\"retry_run\",\"run_id\":\"r\",\"runid\":\"x\"}", RegistryTask.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("unknown field \"runid\"");
        assertThatThrownBy(() -> Json.read("{\"blessing\":{\"metric\":\"accuracy\",\"margn\":0.1}}", PipelineConfig.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("unknown field \"blessing.margn\"");
    }

    @Test
    void missingField_shouldBeRefusedByName() {
        assertThatThrownBy(() -> Json.read("{\"action\":\"promote\",\"run_id\":\"r\",\"model\":\"m\",\"expected_champion\":null}",
                RegistryTask.class)).isInstanceOf(ContractException.class).hasMessageContaining("missing field \"version\"");
        assertThatThrownBy(() -> Json.read("{\"action\":\"promote\",\"run_id\":\"r\",\"model\":\"m\",\"version\":2}",
                RegistryTask.class)).isInstanceOf(ContractException.class).hasMessageContaining("expected_champion");
        assertThatThrownBy(() -> Json.read("{\"action\":\"record_failure\",\"run_id\":\"r\"}", RegistryTask.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("missing field \"failure\"");
        assertThatThrownBy(() -> Json.read("{\"run_id\":\"r\"}", TrainingTask.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("missing field \"candidate_index\"");
        assertThatThrownBy(() -> Json.read("{\"run_id\":\"r\",\"candidate_index\":0}", TrainingTask.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("missing field \"dataset\"");
    }

    @Test
    void aPresentNullChampion_shouldBeAccepted() {
        RegistryTask task = Json.read("{\"action\":\"promote\",\"run_id\":\"r\",\"model\":\"m\",\"version\":1,"
                + "\"expected_champion\":null}", RegistryTask.class);
        assertThat(task).isEqualTo(new RegistryTask.Promote("r", "m", 1, null));
    }

    @Test
    void unknownAction_trailingContentAndDuplicateKeys_shouldBeRefused() {
        assertThatThrownBy(() -> Json.read("{\"action\":\"delete_everything\",\"run_id\":\"r\"}", RegistryTask.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("unknown type \"delete_everything\"")
                .hasMessageContaining("retry_run");
        assertThatThrownBy(() -> Json.read("{\"action\":\"retry_run\",\"run_id\":\"r\"} trailing", RegistryTask.class))
                .isInstanceOf(ContractException.class);
        assertThatThrownBy(() -> Json.read("{\"action\":\"retry_run\",\"run_id\":\"r\",\"run_id\":\"s\"}", RegistryTask.class))
                .isInstanceOf(ContractException.class).hasMessageContaining("run_id");
        assertThatThrownBy(() -> Json.tree("{\"a\":1}{\"a\":2}".getBytes())).isInstanceOf(ContractException.class);
    }

    @Test
    void outputs_shouldBeSnakeCase() {
        RunRequest request = dev.mlops.core.ports.contract.Fixtures.request("r-1", "m");
        String json = Json.string(request);
        assertThat(json).contains("\"run_id\"", "\"dataset_version\"", "\"test_fraction\"", "\"hyper_parameters\"")
                .doesNotContain("runId", "datasetVersion");
        assertThat(Json.read(json, RunRequest.class)).isEqualTo(request);
    }
}

package dev.mlops.functions.training;

import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.Json;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingHandlerTest {

    private final PipelineHarness p = new PipelineHarness();
    private final TrainingHandler handler = new TrainingHandler(p.trainer, PowertoolsMetrics.fromEnvironment());

    private byte[] call(String json) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), out, null);
        return out.toByteArray();
    }

    @Test
    void theSampleTask_shouldTrainTheBundledIris_andAnswerInSnakeCase() throws Exception {
        // GIVEN the bundled iris uploaded and validated, as the sample expects
        p.upload("iris", "iris.csv", Datasets.read("iris"), Map.of());
        String sample = Files.readString(Path.of("../../events/TrainingFunction/train-candidate.json"));
        // WHEN (the sample pins no S3 version: the latest upload is read)
        TrainedCandidate trained = Json.read(call(sample), TrainedCandidate.class);
        // THEN
        assertThat(trained.accuracy()).isGreaterThan(0.85);
        assertThat(p.store.find(trained.artifactKey())).isPresent();
    }

    @Test
    void onAFreshStack_theSampleShouldFailWithAStableErrorName_andAMissingFieldByName() {
        assertThatThrownBy(() -> call(Files.readString(Path.of("../../events/TrainingFunction/train-candidate.json"))))
                .isInstanceOf(IntegrityException.class).hasMessageContaining("no longer exists");
        assertThatThrownBy(() -> call("{\"run_id\":\"r\",\"candidate_index\":0}"))
                .isInstanceOf(ContractException.class).hasMessageContaining("missing field \"dataset\"");
    }

    @Test
    void aTaskToCollect_shouldReturnTheRecordAContainerTaskWrote_withoutTrainingAgain() throws Exception {
        // GIVEN the sample's candidate trained (as the container task, ContainerTraining, trains it)
        p.upload("iris", "iris.csv", Datasets.read("iris"), Map.of());
        String sample = Files.readString(Path.of("../../events/TrainingFunction/train-candidate.json"));
        TrainedCandidate trained = Json.read(call(sample), TrainedCandidate.class);
        String artifactVersion = p.store.find(trained.artifactKey()).orElseThrow().versionId();
        // WHEN the state machine's CollectCandidate step sends the same task with "collect": true
        String collect = sample.trim().replaceFirst("\\}$", ", \"collect\": true}");
        TrainedCandidate collected = Json.read(call(collect), TrainedCandidate.class);
        // THEN it gets the same candidate, and the artifact was not written again
        assertThat(collected).isEqualTo(trained);
        assertThat(p.store.find(trained.artifactKey()).orElseThrow().versionId()).isEqualTo(artifactVersion);
    }
}

package dev.mlops.local;

import dev.mlops.local.emulators.NodeModules;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state machine as template.yaml deploys it (DefinitionSubstitutions applied, so its Resources are real
 * function ARNs) passes asl-validator's command line, ARN and path checks included; and a broken definition does
 * not, so the check can fail.
 */
class AslValidatorIT {

    @TempDir
    Path dir;

    @Test
    void theDeployedDefinition_shouldPassAslValidator_andABrokenOneShouldNot() throws Exception {
        // GIVEN the definition with its substitutions, and one whose Promote state points nowhere
        Path nodeDir = Repo.file("infra/local/node");
        NodeModules.ensureInstalled(nodeDir);
        String definition = StackModel.load(Repo.file("template.yaml")).stateMachines().get(0).definition();
        Path good = Files.writeString(dir.resolve("pipeline.asl.json"), definition);
        Path broken = Files.writeString(dir.resolve("broken.asl.json"),
                definition.replace("\"Next\": \"Promoted?\"", "\"Next\": \"Nowhere\""));
        assertThat(Files.readString(broken)).isNotEqualTo(definition);
        // WHEN / THEN
        assertThat(validate(nodeDir, good)).as(output(nodeDir, good)).isZero();
        assertThat(validate(nodeDir, broken)).isNotZero();
    }

    @Test
    void theBatchScoringDefinition_shouldPassAslValidator_itsDistributedMapIncluded() throws Exception {
        Path nodeDir = Repo.file("infra/local/node");
        NodeModules.ensureInstalled(nodeDir);
        String definition = StackModel.load(Repo.file("template.yaml")).stateMachines().stream()
                .filter(m -> m.logicalId().equals("BatchScoring")).findFirst().orElseThrow().definition();
        assertThat(definition).contains("\"Mode\": \"DISTRIBUTED\"");
        Path file = Files.writeString(dir.resolve("batch.asl.json"), definition);
        assertThat(validate(nodeDir, file)).as(output(nodeDir, file)).isZero();
    }

    private static int validate(Path nodeDir, Path file) throws Exception {
        Process p = command(nodeDir, file).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String output(Path nodeDir, Path file) throws Exception {
        Process p = command(nodeDir, file).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    private static ProcessBuilder command(Path nodeDir, Path file) {
        return new ProcessBuilder(List.of("node", "node_modules/asl-validator/dist/bin/asl-validator.js",
                "--json-path", file.toString())).directory(nodeDir.toFile());
    }
}

package dev.mlops.local;

import dev.mlops.core.Layout;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of bug local IAM catches: a function calling AWS outside the grants template.yaml gives it, which
 * every emulator allows and AWS refuses. One grant is removed from a copy of the template (the training
 * function's write of its candidates); the pipeline run fails with AccessDenied naming the function's role, the
 * action and the object, and the local log names the missing grant.
 */
class IamEnforcementIT {

    private static final String WRITE_CANDIDATES = "Action: [s3:GetObject, s3:PutObject]\n"
            + "              Resource: !Sub \"arn:${AWS::Partition}:s3:::${AWS::StackName}-${AWS::AccountId}-data/models/*/runs/*\"";

    @Test
    void aRunWhoseFunctionLacksAGrant_shouldFailWithTheNamedAccessDenied() throws Exception {
        // GIVEN the template without the training function's s3:PutObject on its candidates
        Path home = Files.createTempDirectory("mlops-iam-");
        try (TemplateCopy template = TemplateCopy.replacing(WRITE_CANDIDATES,
                WRITE_CANDIDATES.replace("[s3:GetObject, s3:PutObject]", "[s3:GetObject]"));
             LocalEnvironment env = LocalEnvironment.start(Repo.root(), home,
                     LocalEnvironment.Options.defaults(Repo.root()).withTemplate(template.file()))) {
            StackPorts stack = new StackPorts(env);
            stack.store().putJson(Layout.config("iam-it"), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
            byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));

            // WHEN a dataset is uploaded
            stack.put("incoming/iam-it/iris.csv", iris, Map.of());
            Run run = stack.awaitRun("iam-it", Sha256.hex(iris));

            // THEN the run failed as it would on AWS: S3 refused the write, naming the role, action and object
            String role = "assumed-role/mlops-local-TrainingFunctionRole/mlops-local-TrainingFunction";
            String object = "arn:aws:s3:::" + stack.bucket() + "/models/iam-it/runs/" + run.runId() + "/0/model.tribuo";
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.cause()).contains(role + " is not authorized to perform: s3:PutObject on resource: " + object)
                    .contains("Status Code: 403");
            // AND the local log names the function, the action, the resource and the grant it lacks
            String log = Files.readString(home.resolve("logs/gateway.log"));
            assertThat(log).contains("[iam] AccessDenied: TrainingFunction called s3:PutObject on " + object)
                    .contains("Missing grant (template.yaml, TrainingFunction Policies): "
                            + "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"" + object + "\"}");
            // AND nothing else was refused: ingest, the registry's failure record and the state machine had their grants
            assertThat(log.lines().filter(l -> l.contains("[iam] AccessDenied")))
                    .allSatisfy(l -> assertThat(l).contains("TrainingFunction called s3:PutObject"));
        } finally {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

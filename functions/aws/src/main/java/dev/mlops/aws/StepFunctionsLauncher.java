package dev.mlops.aws;

import dev.mlops.core.Json;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.PipelineLauncher;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

import java.util.Optional;

/**
 * {@link PipelineLauncher} on the training state machine. Step Functions returns the running
 * execution for a repeated name with the same input, and refuses the name once that execution has
 * ended ({@code ExecutionAlreadyExists}); both mean "this run was already handed to the pipeline",
 * and neither starts a second execution.
 */
public final class StepFunctionsLauncher implements PipelineLauncher {

    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsLauncher(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    @Override
    public String executionIdFor(String runId) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + runId;
    }

    @Override
    public Launch start(RunRequest request) {
        return AwsCalls.call(sfn, "starting the execution of run " + request.runId(), () -> {
            try {
                var response = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(request.runId())
                        .input(Json.string(request)));
                // A repeated StartExecution of a RUNNING execution answers its original start date.
                return new Launch(response.executionArn(), false);
            } catch (ExecutionAlreadyExistsException ended) {
                return new Launch(executionIdFor(request.runId()), true);
            }
        });
    }

    @Override
    public Optional<Execution> describe(String executionId) {
        return AwsCalls.call(sfn, "describing execution " + executionId, () -> {
            try {
                var d = sfn.describeExecution(b -> b.executionArn(executionId));
                return Optional.of(new Execution(d.executionArn(), ExecutionStatus.valueOf(d.statusAsString()),
                        d.error(), d.cause(), d.stopDate()));
            } catch (ExecutionDoesNotExistException never) {
                return Optional.empty();
            }
        });
    }
}

package dev.mlops.aws;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Starts training pipeline executions under names derived from the dataset version. Step Functions
 * returns the running execution for a repeated name with the same input, and refuses the name once
 * that execution has ended ({@code ExecutionAlreadyExists}); since our names are content hashes,
 * both mean "this version was already handed to the pipeline", and neither starts a second run.
 */
public final class PipelineStarter {

    /** The execution, and whether this call started it or found it. */
    public record Started(String executionArn, boolean duplicate) {
    }

    private final SfnClient sfn;
    private final String stateMachineArn;

    public PipelineStarter(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    /** The ARN Step Functions gives an execution of our machine with this name. */
    public String executionArn(String name) {
        return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
    }

    public Started start(String name, String inputJson) {
        try {
            return new Started(sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name).input(inputJson))
                    .executionArn(), false);
        } catch (ExecutionAlreadyExistsException ended) {
            return new Started(executionArn(name), true);
        }
    }
}

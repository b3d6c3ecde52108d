package dev.mlops.aws;

import dev.mlops.core.Json;
import dev.mlops.core.pipeline.PartedUpload;
import dev.mlops.core.ports.ValidationLauncher;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * {@link ValidationLauncher} on the upload-validation state machine: one execution per upload, named
 * {@code <dataset>.<upload id>}. A name already taken (a redelivered event, whose plan was made again) is the
 * upload's execution, and no second one starts.
 */
public final class StepFunctionsValidationLauncher implements ValidationLauncher {

    private final SfnClient sfn;
    private final String stateMachineArn;

    public StepFunctionsValidationLauncher(SfnClient sfn, String stateMachineArn) {
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    /** At most 40 + 1 + 16 characters, within Step Functions' 80. */
    static String executionName(PartedUpload upload) {
        return upload.dataset() + "." + upload.id();
    }

    @Override
    public String start(PartedUpload upload) {
        String name = executionName(upload);
        return AwsCalls.call(sfn, "starting the validation in parts of " + upload.key(), () -> {
            try {
                return sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(name)
                        .input(Json.string(upload))).executionArn();
            } catch (ExecutionAlreadyExistsException started) {
                return stateMachineArn.replace(":stateMachine:", ":execution:") + ":" + name;
            }
        });
    }
}

package dev.mlops.local;

import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** The port contracts of the AWS adapters on the local emulators (S3Mock, dynalite, aws-local-stepfunctions). */
@ExtendWith(LocalEnvironmentExtension.class)
class AdaptersOnEmulatorsIT extends AwsPortsContract {

    private LocalEnvironment environment;

    @BeforeEach
    void use(LocalEnvironment environment) {
        this.environment = environment;
    }

    @Override
    protected LocalClients clients() {
        return environment.clients();
    }

    @Override
    protected StackModel stack() {
        return environment.model();
    }
}

package dev.mlops.local;

import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.Provisioner;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The same port contracts on LocalStack, where a Docker engine exists; skipped (not failed)
 * where none does, as on the project's CI.
 */
@Testcontainers(disabledWithoutDocker = true)
class AdaptersOnLocalStackIT extends AwsPortsContract {

    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8.1"))
            .withServices(LocalStackContainer.Service.S3, LocalStackContainer.Service.DYNAMODB,
                    LocalStackContainer.EnabledService.named("stepfunctions"));

    private static final StackModel STACK = StackModel.load(Repo.file("template.yaml"));
    private static LocalClients clients;

    @BeforeAll
    static void provision() {
        String endpoint = LOCALSTACK.getEndpoint().toString();
        clients = new LocalClients(endpoint, endpoint, endpoint, endpoint);
        Provisioner.provision(STACK, clients);
    }

    @Override
    protected LocalClients clients() {
        return clients;
    }

    @Override
    protected StackModel stack() {
        return STACK;
    }
}

package dev.mlops.local.cli;

import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.aws.DynamoDriftCheckLog;
import dev.mlops.aws.DynamoModelRegistry;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The local environment a command works against: the one {@code ./mlops local up} runs, if any,
 * or one this command starts for its own duration (same data folder, so state carries over).
 */
final class Session implements AutoCloseable {

    private final StackModel model;
    private final Path home;
    private volatile RuntimeInfo info;
    private final LocalEnvironment owned;
    private volatile LocalClients clients;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Session(StackModel model, Path home, RuntimeInfo info, LocalEnvironment owned) {
        this.model = model;
        this.home = home;
        this.info = info;
        this.owned = owned;
        this.clients = LocalClients.of(info);
    }

    static Session open(Path projectRoot, Path home, boolean verbose, LocalEnvironment.Options options)
            throws IOException {
        Optional<RuntimeInfo> running = RuntimeInfo.readLive(home);
        if (running.isPresent()) {
            return new Session(StackModel.load(projectRoot.resolve("template.yaml")), home, running.get(), null);
        }
        Console.progress("starting the local environment (data in " + home + ")");
        Console.routeFunctionOutput(verbose);
        LocalEnvironment env = LocalEnvironment.start(projectRoot, home, options);
        Session session = new Session(env.model(), home, env.info(), env);
        Runtime.getRuntime().addShutdownHook(new Thread(env::close, "local-shutdown"));
        return session;
    }

    /** The data bucket, through the same adapter the functions use. */
    ObjectStore store() {
        return new S3ObjectStore(clients.s3(), bucket());
    }

    DatasetCatalog datasets() {
        return new DynamoDatasetCatalog(clients.dynamoDb(), model.tableName("DatasetsTable"),
                model.tableName("UploadsTable"));
    }

    RunLog runs() {
        return new DynamoRunLog(clients.dynamoDb(), model.tableName("RunsTable"), Clock.systemUTC());
    }

    DriftCheckLog driftChecks() {
        return new DynamoDriftCheckLog(clients.dynamoDb(), model.tableName("DriftChecksTable"));
    }

    ModelRegistry registry() {
        return new DynamoModelRegistry(clients.dynamoDb(), model.tableName("ModelsTable"), model.tableName("AuditTable"),
                Clock.systemUTC());
    }

    StackModel model() {
        return model;
    }

    /** The S3 deliveries and the dead-letter queue of the stack (kept in the data folder). */
    dev.mlops.local.runtime.DeliveryState deliveries() {
        return dev.mlops.local.runtime.DeliveryState.of(home);
    }

    RuntimeInfo info() {
        return info;
    }

    LocalClients clients() {
        return clients;
    }

    boolean owned() {
        return owned != null;
    }

    /**
     * When the {@code local up} this session follows has stopped and another runs on the same data (restarted, on
     * new ports), follows that one from now on. True when it did.
     */
    synchronized boolean followRestart() {
        if (owned != null) {
            return false;
        }
        Optional<RuntimeInfo> now = RuntimeInfo.readLive(home);
        if (now.isEmpty() || now.get().pid() == info.pid() && now.get().startedAt().equals(info.startedAt())) {
            return false;
        }
        info = now.get();
        clients = LocalClients.of(info);
        return true;
    }

    /** Whether a stack runs for this session now (its own, or a {@code local up} on its data). */
    boolean stackRunning() {
        return owned != null || RuntimeInfo.readLive(home).isPresent();
    }

    /** The data bucket's physical name. */
    String bucket() {
        return model.bucket().name();
    }

    /** POSTs JSON to the local HTTP API or Lambda endpoint. */
    HttpResponse<String> post(URI uri, String json) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(15))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Invokes a template function through the Lambda Invoke API of the environment. */
    Invocation invoke(String function, byte[] payload) throws IOException {
        StackModel.Function f = model.function(function);
        URI uri = URI.create(info.lambdaUrl() + "/2015-03-31/functions/" + f.name() + "/invocations");
        HttpResponse<String> response = post(uri, new String(payload, java.nio.charset.StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException("invoke " + f.name() + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return new Invocation(f.logicalId(), response.headers().firstValue("X-Amz-Function-Error").isPresent(), response.body());
    }

    /** The outcome of one invocation: the payload, or the function's error document. */
    record Invocation(String function, boolean failed, String payload) {
    }

    @Override
    public void close() {
        if (owned != null) {
            owned.close();
        }
    }
}

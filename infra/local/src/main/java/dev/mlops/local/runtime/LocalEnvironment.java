package dev.mlops.local.runtime;

import dev.mlops.local.emulators.Emulators;
import dev.mlops.local.template.StackModel;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole stack of template.yaml running on this machine: emulators started, the bucket, tables
 * and state machine created as declared, the five functions hosted in this JVM with their
 * environment, the HTTP API and Lambda Invoke endpoint served, S3 notifications delivered.
 * One per data folder ({@code home}): a file lock keeps a second one from sharing it.
 */
public final class LocalEnvironment implements AutoCloseable {

    private final StackModel model;
    private final Path home;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final RuntimeInfo info;
    private final Map<String, FunctionHost> hostsByName = new ConcurrentHashMap<>();
    private final LocalClients clients;

    private LocalEnvironment(Path projectRoot, Path home) throws IOException {
        this.model = StackModel.load(projectRoot.resolve("template.yaml"));
        this.home = home;
        Files.createDirectories(home);
        this.lockChannel = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another local environment is using " + home + " (./mlops local down stops it)");
        }
        try {
            HttpFront front = new HttpFront(0, hostsByName, model.httpRoutes());
            started.add(front);
            URI local = URI.create("http://127.0.0.1:" + front.port());
            Emulators emulators = Emulators.start(projectRoot, home, local);
            started.add(0, emulators);
            Emulators.Endpoints e = emulators.endpoints();
            this.clients = new LocalClients(e.s3().toString(), e.dynamodb().toString(), e.stepFunctions().toString());
            provision();
            Map<String, FunctionHost> byLogicalId = new LinkedHashMap<>();
            for (StackModel.Function f : model.functions()) {
                Map<String, String> env = new LinkedHashMap<>(f.environment());
                env.putAll(clients.environment());
                env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
                FunctionHost host = new FunctionHost(f, env);
                hostsByName.put(f.name(), host);
                byLogicalId.put(f.logicalId(), host);
            }
            S3Notifications notifications = new S3Notifications(clients.s3(), model.s3Triggers(), byLogicalId,
                    home.resolve("s3-notifications.json"));
            notifications.start();
            started.add(0, notifications);
            this.info = new RuntimeInfo(ProcessHandle.current().pid(), local.toString(), local.toString(),
                    e.s3().toString(), e.dynamodb().toString(), e.stepFunctions().toString(), emulators.pids(),
                    emulators.startMillis(), Instant.now().toString());
            info.write(home);
        } catch (IOException | RuntimeException failed) {
            close();
            throw failed;
        }
    }

    /** Starts the stack of {@code projectRoot/template.yaml} with its data in {@code home}. */
    public static LocalEnvironment start(Path projectRoot, Path home) throws IOException {
        return new LocalEnvironment(projectRoot, home);
    }

    public RuntimeInfo info() {
        return info;
    }

    public StackModel model() {
        return model;
    }

    /** Creates what the template declares; what already exists from an earlier run is kept. */
    private void provision() {
        S3Client s3 = clients.s3();
        for (StackModel.Bucket b : model.buckets()) {
            if (!exists(s3, b.name())) {
                s3.createBucket(r -> r.bucket(b.name()));
            }
            if (b.versioned() && s3.getBucketVersioning(r -> r.bucket(b.name())).status() != BucketVersioningStatus.ENABLED) {
                s3.putBucketVersioning(r -> r.bucket(b.name())
                        .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            }
        }
        DynamoDbClient dynamo = clients.dynamoDb();
        for (StackModel.Table t : model.tables()) {
            Map<String, String> attributes = new LinkedHashMap<>();
            List<KeySchemaElement> key = keySchema(t.hash(), t.range(), attributes);
            List<GlobalSecondaryIndex> indexes = new ArrayList<>();
            for (StackModel.Index i : t.indexes()) {
                indexes.add(GlobalSecondaryIndex.builder().indexName(i.name())
                        .keySchema(keySchema(i.hash(), i.range(), attributes))
                        .projection(p -> p.projectionType(ProjectionType.ALL)).build());
            }
            try {
                dynamo.createTable(r -> {
                    r.tableName(t.name()).billingMode(BillingMode.PAY_PER_REQUEST).keySchema(key)
                            .attributeDefinitions(attributes.entrySet().stream().map(a -> AttributeDefinition.builder()
                                    .attributeName(a.getKey()).attributeType(a.getValue()).build()).toList());
                    if (!indexes.isEmpty()) {
                        r.globalSecondaryIndexes(indexes);
                    }
                });
            } catch (ResourceInUseException exists) {
                // data of an earlier run
            }
        }
        SfnClient sfn = clients.stepFunctions();
        for (StackModel.StateMachine m : model.stateMachines()) {
            String role = "arn:aws:iam::" + StackModel.ACCOUNT + ":role/" + m.name();
            try {
                sfn.createStateMachine(r -> r.name(m.name()).definition(m.definition()).roleArn(role).type(m.type()));
            } catch (StateMachineAlreadyExistsException changed) {
                // template.yaml changed the definition since the last run: deploy it, as `sam deploy` would
                sfn.updateStateMachine(r -> r.stateMachineArn(m.arn()).definition(m.definition()));
            }
        }
    }

    private static boolean exists(S3Client s3, String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchBucketException e) {
            return false;
        }
    }

    private static List<KeySchemaElement> keySchema(StackModel.KeyAttribute hash, StackModel.KeyAttribute range,
                                                    Map<String, String> attributes) {
        List<KeySchemaElement> key = new ArrayList<>();
        key.add(KeySchemaElement.builder().attributeName(hash.name()).keyType(KeyType.HASH).build());
        attributes.put(hash.name(), hash.type());
        if (range != null) {
            key.add(KeySchemaElement.builder().attributeName(range.name()).keyType(KeyType.RANGE).build());
            attributes.put(range.name(), range.type());
        }
        return key;
    }

    @Override
    public void close() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("[local] stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        started.clear();
        try {
            Files.deleteIfExists(RuntimeInfo.file(home));
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            System.err.println("[local] " + e.getMessage());
        }
    }
}

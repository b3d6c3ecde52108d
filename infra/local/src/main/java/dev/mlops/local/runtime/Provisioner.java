package dev.mlops.local.runtime;

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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates the resources template.yaml declares (buckets with their versioning, tables with their
 * keys and indexes, state machines) on any S3/DynamoDB/Step Functions endpoint: the local emulators
 * or LocalStack. Idempotent: what exists is checked first and kept.
 */
public final class Provisioner {

    private Provisioner() {
    }

    /** Creates what the template declares, each state machine with {@link #roleArn its own role}. */
    public static void provision(StackModel model, LocalClients clients) {
        provision(model, clients, Provisioner::roleArn);
    }

    /** A role named after the state machine (where no IAM role of the template stands for it). */
    public static String roleArn(StackModel.StateMachine machine) {
        return "arn:aws:iam::" + StackModel.ACCOUNT + ":role/" + machine.name();
    }

    /**
     * Creates what the template declares; what already exists from an earlier run is kept (a state machine's
     * definition and role are brought up to date, as {@code sam deploy} would).
     *
     * @param roleArn the role each state machine runs as
     */
    public static void provision(StackModel model, LocalClients clients,
                                 Function<StackModel.StateMachine, String> roleArn) {
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
            String role = roleArn.apply(m);
            try {
                sfn.createStateMachine(r -> r.name(m.name()).definition(m.definition()).roleArn(role).type(m.type()));
                if (!role.equals(sfn.describeStateMachine(r -> r.stateMachineArn(m.arn())).roleArn())) {
                    sfn.updateStateMachine(r -> r.stateMachineArn(m.arn()).roleArn(role)); // a stack of an earlier run
                }
            } catch (StateMachineAlreadyExistsException changed) {
                // template.yaml changed the definition since the last run: deploy it, as `sam deploy` would
                sfn.updateStateMachine(r -> r.stateMachineArn(m.arn()).definition(m.definition()).roleArn(role));
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
}

package dev.mlops.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.local.template.StackModel;
import dev.mlops.local.template.TemplateYaml;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a platform team checks before it deploys template.yaml: least privilege per function (S3 scoped to the
 * prefixes each one uses, every remaining wildcard explained), a log group with retention for every function and
 * the state machine, nothing stuck or lost (Retry and Catch on every Task, a timeout, a dead-letter queue with an
 * alarm, run reconciliation), private data (authenticated routes, a private bucket, encrypted tables with
 * point-in-time recovery), bounded cost (lifecycle rules, reserved concurrency) and something to look at
 * (alarms, a dashboard, outputs).
 */
class TemplateHardeningTest {

    private static final String BUCKET = "arn:${AWS::Partition}:s3:::${AWS::StackName}-${AWS::AccountId}-data";

    private final Map<String, Object> template = TemplateYaml.load(Repo.file("template.yaml"));
    private final StackModel stack = StackModel.load(Repo.file("template.yaml"));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : o instanceof List<?> l ? l : List.of(o);
    }

    private Map<String, Object> resources() {
        return map(template.get("Resources"));
    }

    private Map<String, Object> properties(String logicalId) {
        return map(map(resources().get(logicalId)).get("Properties"));
    }

    private List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources().forEach((id, r) -> {
            if (type.equals(map(r).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** A function's S3 object-level grants: action → the resources (with the bucket ARN cut off) it is allowed on. */
    private Map<String, List<String>> s3Grants(String function) {
        Map<String, List<String>> grants = new LinkedHashMap<>();
        for (Object policy : list(properties(function).get("Policies"))) {
            for (Object statement : list(map(policy).get("Statement"))) {
                Map<String, Object> st = map(statement);
                assertThat(st.get("Effect")).as(function + " " + st.get("Sid")).isEqualTo("Allow");
                for (Object action : list(st.get("Action"))) {
                    if (!action.toString().startsWith("s3:")) {
                        continue;
                    }
                    for (Object resource : list(st.get("Resource"))) {
                        String arn = map(resource).containsKey("Fn::Sub") ? map(resource).get("Fn::Sub").toString()
                                : resource.toString();
                        assertThat(arn).as(function + " " + action).startsWith(BUCKET);
                        grants.computeIfAbsent(action.toString(), k -> new ArrayList<>())
                                .add(arn.substring(BUCKET.length()));
                    }
                }
            }
        }
        return grants;
    }

    @Test
    void noFunction_shouldUseABucketWidePolicyTemplate_orDeleteAnything() {
        for (StackModel.Function f : stack.functions()) {
            for (Object policy : list(properties(f.logicalId()).get("Policies"))) {
                assertThat(map(policy).keySet()).as(f.logicalId())
                        .doesNotContain("S3CrudPolicy", "S3ReadPolicy", "S3WritePolicy", "S3FullAccessPolicy",
                                "AmazonS3FullAccess", "AWSLambdaExecute");
            }
            Map<String, List<String>> grants = s3Grants(f.logicalId());
            assertThat(grants.keySet()).as(f.logicalId())
                    .allSatisfy(a -> assertThat(a).isIn("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject",
                            "s3:ListBucket"));
            // Only people (and ./mlops upload) write uploads: no function can start training by writing incoming/,
            // except the drift check's retraining uploads (retrain-<check>.csv), which ingest validates like any.
            boolean retrains = f.logicalId().equals("DriftCheckFunction");
            assertThat(grants.getOrDefault("s3:PutObject", List.of())).as(f.logicalId())
                    .noneMatch(r -> r.startsWith("/incoming/") && !(retrains && r.equals("/incoming/*/retrain-*")));
            // ListBucket on the bucket itself, nothing else (a missing object then answers 404, not 403).
            assertThat(grants.getOrDefault("s3:ListBucket", List.of())).as(f.logicalId()).allMatch(String::isEmpty);
        }
    }

    @Test
    void eachFunction_shouldReachOnlyThePrefixesItUses() {
        assertThat(s3Grants("InferenceFunction")).containsOnlyKeys("s3:GetObject", "s3:PutObject", "s3:ListBucket")
                .containsEntry("s3:GetObject", List.of("/models/*"))
                .containsEntry("s3:PutObject", List.of("/capture/*", "/feedback/*"));
        assertThat(s3Grants("IngestValidationFunction").get("s3:PutObject"))
                .containsExactlyInAnyOrder("/schemas/*/schema.json", "/datasets/*");
        assertThat(s3Grants("IngestValidationFunction").get("s3:GetObject"))
                .containsExactlyInAnyOrder("/incoming/*", "/schemas/*");
        assertThat(s3Grants("TrainingFunction").get("s3:PutObject")).containsExactly("/models/*/runs/*");
        assertThat(s3Grants("RegistryFunction").get("s3:PutObject")).containsExactly("/models/*");
        assertThat(s3Grants("DriftCheckFunction").get("s3:PutObject"))
                .containsExactlyInAnyOrder("/monitoring/*", "/incoming/*/retrain-*");
        assertThat(s3Grants("DriftCheckFunction").get("s3:GetObject"))
                .containsExactlyInAnyOrder("/capture/*", "/feedback/*", "/datasets/*", "/schemas/*", "/incoming/*",
                        "/models/*");
    }

    @Test
    void everyWildcard_shouldCarryACommentSayingWhy() throws Exception {
        List<String> uncommented = new ArrayList<>();
        List<String> lines = Files.readAllLines(Repo.file("template.yaml"));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = commentStart(line);
            String code = hash < 0 ? line : line.substring(0, hash);
            if (code.contains("*") && (hash < 0 || !line.substring(hash).contains("wildcard"))) {
                uncommented.add((i + 1) + ": " + line.strip());
            }
        }
        assertThat(uncommented).as("lines of template.yaml with a * and no '# wildcard: why' comment").isEmpty();
    }

    /** Where a YAML comment starts: a '#' outside quotes, at the start or after a space. */
    private static int commentStart(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyFunctionAndTheStateMachine_shouldLogToALogGroupWithRetention() {
        for (StackModel.Function f : stack.functions()) {
            Object group = map(properties(f.logicalId()).get("LoggingConfig")).get("LogGroup");
            assertThat(group).as(f.logicalId() + " LoggingConfig.LogGroup").isInstanceOf(Map.class);
            String groupId = map(group).get("Ref").toString();
            assertThat(map(resources().get(groupId)).get("Type")).isEqualTo("AWS::Logs::LogGroup");
            assertThat(properties(groupId)).as(groupId).containsKey("RetentionInDays");
        }
        assertThat(ofType("AWS::Serverless::StateMachine")).containsExactly("TrainingPipeline", "BatchScoring",
                "UploadValidation");
        for (String machine : ofType("AWS::Serverless::StateMachine")) {
            Map<String, Object> logging = map(properties(machine).get("Logging"));
            assertThat(logging.get("Level")).as(machine).isEqualTo("ALL");
            Object arn = map(map(list(logging.get("Destinations")).get(0)).get("CloudWatchLogsLogGroup"))
                    .get("LogGroupArn");
            String groupId = ((List<?>) map(arn).get("Fn::GetAtt")).get(0).toString();
            assertThat(properties(groupId)).as(machine).containsKey("RetentionInDays");
            assertThat(properties(groupId).get("LogGroupName").toString()).contains("/aws/vendedlogs/states/");
        }
    }

    @Test
    void theBatchMachine_shouldRetryAndCatchEveryTask_andItsPartsWhenAnInvocationDies() throws Exception {
        JsonNode definition = Json.MAPPER.readTree(stack.stateMachines().stream()
                .filter(m -> m.logicalId().equals("BatchScoring")).findFirst().orElseThrow().definition());
        assertThat(definition.path("TimeoutSeconds").asInt()).as("state machine TimeoutSeconds").isPositive();
        List<String> tasks = new ArrayList<>();
        checkStates(definition.path("States"), false, tasks);
        assertThat(tasks).containsExactlyInAnyOrder("Plan", "ScorePart", "Finish", "RecordFailure");
        assertThat(definition.at("/States/ScoreParts/ItemProcessor/States/ScorePart/Retry/0/ErrorEquals").toString())
                .contains("Runtime.ExitError", "Sandbox.Timedout");
    }

    @Test
    void theBatchFunctions_shouldReachOnlyTheBatchPrefixAndTheModels_andFailedJobsAlarm() {
        assertThat(s3Grants("BatchScoringFunction")).containsOnlyKeys("s3:GetObject", "s3:GetObjectVersion",
                        "s3:PutObject", "s3:ListBucket")
                .containsEntry("s3:GetObject", List.of("/batch/*", "/models/*"))
                .containsEntry("s3:PutObject", List.of("/batch/*/out/parts/*"));
        assertThat(s3Grants("BatchJobFunction").get("s3:PutObject"))
                .containsExactlyInAnyOrder("/batch/*/parts.json", "/batch/*/out/*");
        assertThat(properties("BatchScoringFunction")).containsKey("ReservedConcurrentExecutions");
        assertThat(alarmsOn("BatchScoring").stream().filter(a -> resources().get(a).toString()
                .contains("ExecutionsFailed"))).as("failed batch jobs").isNotEmpty();
    }

    @Test
    void everyTask_shouldRetryAwsRecommendedErrorsAndOurTransientOnes_andBeCaught() throws Exception {
        JsonNode definition = Json.MAPPER.readTree(stack.stateMachines().get(0).definition());
        assertThat(definition.path("TimeoutSeconds").asInt()).as("state machine TimeoutSeconds").isPositive();
        List<String> tasks = new ArrayList<>();
        checkStates(definition.path("States"), false, tasks);
        assertThat(tasks).contains("TrainCandidate", "TrainInContainer", "CollectCandidate", "Register", "Promote",
                "RecordFailure");
    }

    private static void checkStates(JsonNode states, boolean caughtOutside, List<String> tasks) {
        Set<String> lambdaErrors = Set.of("Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException",
                "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
        Set<String> ecsErrors = Set.of("ECS.AmazonECSException", "ECS.ServerException", "ECS.ThrottlingException");
        states.fields().forEachRemaining(e -> {
            JsonNode state = e.getValue();
            boolean caught = state.has("Catch") && !state.get("Catch").isEmpty();
            if ("Task".equals(state.path("Type").asText())) {
                tasks.add(e.getKey());
                List<String> retried = new ArrayList<>();
                state.path("Retry").forEach(r -> {
                    r.path("ErrorEquals").forEach(x -> retried.add(x.asText()));
                    assertThat(r.path("BackoffRate").asDouble()).as(e.getKey() + " backoff").isGreaterThan(1);
                });
                if (state.path("Resource").asText().startsWith("arn:aws:states:::ecs:")) {
                    // A container task: ECS's own service errors (the trainer's failures are not retried).
                    assertThat(retried).as(e.getKey() + " Retry").containsAll(ecsErrors);
                } else {
                    assertThat(retried).as(e.getKey() + " Retry").containsAll(lambdaErrors)
                            .contains("dev.mlops.core.errors.TransientException");
                }
                assertThat(caught || caughtOutside).as(e.getKey() + " Catch (its own or its Map's)").isTrue();
            }
            JsonNode inner = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
            if (inner != null) {
                checkStates(inner.path("States"), caught || caughtOutside, tasks);
            }
            state.path("Branches").forEach(b -> checkStates(b.path("States"), caught || caughtOutside, tasks));
        });
    }

    @Test
    void everyRoute_shouldBeAuthenticated_andTheBucketPrivate() {
        Map<String, Object> auth = map(properties("ModelApi").get("Auth"));
        assertThat(auth.get("DefaultAuthorizer")).isEqualTo("AWS_IAM");
        assertThat(auth.get("EnableIamAuthorizer")).isEqualTo(true);
        assertThat(ofType("AWS::Serverless::Api")).isEmpty();
        for (StackModel.Function f : stack.functions()) {
            map(properties(f.logicalId()).get("Events")).forEach((name, event) -> {
                if ("HttpApi".equals(map(event).get("Type"))) {
                    Map<String, Object> p = map(map(event).get("Properties"));
                    assertThat(p.get("ApiId")).as(name).isEqualTo(Map.of("Ref", "ModelApi"));
                    assertThat(map(p.get("Auth")).get("Authorizer")).as(name + " authorizer").isNotEqualTo("NONE");
                }
            });
        }
        Map<String, Object> bucket = properties("DataBucket");
        assertThat(map(bucket.get("PublicAccessBlockConfiguration"))).containsOnly(Map.entry("BlockPublicAcls", true),
                Map.entry("BlockPublicPolicy", true), Map.entry("IgnorePublicAcls", true),
                Map.entry("RestrictPublicBuckets", true));
        assertThat(bucket).containsKey("BucketEncryption");
        for (Object statement : list(map(properties("DataBucketPolicy").get("PolicyDocument")).get("Statement"))) {
            assertThat(map(statement).get("Effect")).as("the bucket policy only denies").isEqualTo("Deny");
        }
    }

    @Test
    void theAuditTrail_shouldBeAppendOnly_forEveryRole() {
        // GIVEN every function's and state machine's policies
        List<String> owners = new ArrayList<>(ofType("AWS::Serverless::Function"));
        owners.addAll(ofType("AWS::Serverless::StateMachine"));
        Map<String, List<String>> auditActions = new LinkedHashMap<>();
        for (String owner : owners) {
            for (Object policy : list(properties(owner).get("Policies"))) {
                // THEN no policy template reaches the audit table (DynamoDBCrudPolicy and the like update and delete)
                map(policy).forEach((template, parameters) -> {
                    if (!template.equals("Version") && !template.equals("Statement")) {
                        assertThat(String.valueOf(parameters)).as(owner + " " + template).doesNotContain("AuditTable");
                    }
                });
                for (Object statement : list(map(policy).get("Statement"))) {
                    Map<String, Object> st = map(statement);
                    boolean onAudit = String.valueOf(st.get("Resource")).contains("AuditTable");
                    for (Object action : list(st.get("Action"))) {
                        // AND no statement grants a DynamoDB wildcard that could reach it
                        assertThat(action.toString()).as(owner).isNotIn("dynamodb:*", "*");
                        if (onAudit) {
                            auditActions.computeIfAbsent(owner, k -> new ArrayList<>()).add(action.toString());
                        }
                    }
                    if (String.valueOf(st.get("Action")).contains("dynamodb:")) {
                        assertThat(String.valueOf(st.get("Resource"))).as(owner).doesNotContain("table/*")
                                .isNotEqualTo("*");
                    }
                }
            }
        }
        // AND only the registry and the drift check (which decides rollouts: docs/rollout.md) add and read entries:
        // PutItem and Query, never UpdateItem or DeleteItem
        assertThat(auditActions).containsOnlyKeys("RegistryFunction", "DriftCheckFunction");
        assertThat(auditActions.values()).allSatisfy(actions -> assertThat(actions)
                .containsExactlyInAnyOrder("dynamodb:PutItem", "dynamodb:Query"));
        // AND it is a table of its own (IAM cannot restrict writes to the models table by sort key)
        assertThat(ofType("AWS::DynamoDB::Table")).contains("AuditTable");
    }

    @Test
    void everyTable_shouldBeEncryptedWithPointInTimeRecovery() {
        assertThat(ofType("AWS::DynamoDB::Table")).hasSizeGreaterThanOrEqualTo(5).allSatisfy(t -> {
            assertThat(map(properties(t).get("PointInTimeRecoverySpecification")))
                    .as(t).containsEntry("PointInTimeRecoveryEnabled", true);
            assertThat(map(properties(t).get("SSESpecification"))).as(t).containsEntry("SSEEnabled", true);
        });
    }

    @Test
    void whatGrowsWithoutBound_shouldExpire_andCostlyFunctionsShouldBeCapped() {
        Map<String, Map<String, Object>> rules = new LinkedHashMap<>();
        for (Object r : list(map(properties("DataBucket").get("LifecycleConfiguration")).get("Rules"))) {
            rules.put(String.valueOf(map(r).get("Prefix")), map(r));
        }
        assertThat(rules.get("capture/")).containsKey("ExpirationInDays");
        assertThat(rules.get("monitoring/")).containsKey("ExpirationInDays");
        assertThat(rules.get("")).containsKey("NoncurrentVersionExpiration");
        for (String f : List.of("TrainingFunction", "IngestValidationFunction", "DriftCheckFunction")) {
            assertThat(properties(f)).as(f).containsKey("ReservedConcurrentExecutions");
        }
    }

    @Test
    void failedIngests_shouldGoToADeadLetterQueueWithAnAlarm_andTheAttemptsShouldAgree() {
        Map<String, Object> config = map(properties("IngestValidationFunction").get("EventInvokeConfig"));
        Map<String, Object> onFailure = map(map(config.get("DestinationConfig")).get("OnFailure"));
        assertThat(onFailure.get("Type")).isEqualTo("SQS");
        assertThat(onFailure.get("Destination")).isEqualTo(Map.of("Fn::GetAtt", List.of("IngestDeadLetterQueue", "Arn")));
        int retries = Integer.parseInt(config.get("MaximumRetryAttempts").toString());
        assertThat(stack.function("IngestValidationFunction").environment().get("DELIVERY_ATTEMPTS"))
                .isEqualTo(String.valueOf(retries + 1));
        assertThat(alarmsOn("IngestDeadLetterQueue")).isNotEmpty();
    }

    /** Alarms whose definition mentions a resource. */
    private List<String> alarmsOn(String resource) {
        return ofType("AWS::CloudWatch::Alarm").stream()
                .filter(a -> resources().get(a).toString().contains(resource)).toList();
    }

    @Test
    void theAlarmsTheDashboardAndTheOutputs_shouldBeThere() {
        List<String> alarms = ofType("AWS::CloudWatch::Alarm");
        assertThat(alarms).allSatisfy(a -> assertThat(properties(a)).as(a).containsKey("AlarmActions"));
        assertThat(alarmsOn("TrainingPipeline")).as("pipeline failures").isNotEmpty();
        assertThat(alarmsOn("ModelApi")).as("inference 5xx").isNotEmpty();
        assertThat(alarmsOn("DriftDetected")).as("drift verdicts").isNotEmpty();
        assertThat(alarmsOn("SUM(CaptureDropped) FROM SCHEMA(mlops, Model)")).as("captures dropped, any model").isNotEmpty();
        assertThat(alarmsOn("SUM(CaptureFailures) FROM SCHEMA(mlops, Model)")).as("captures lost, any model").isNotEmpty();
        for (StackModel.Function f : stack.functions()) {
            assertThat(alarms.stream().filter(a -> resources().get(a).toString().contains("Errors")
                    && resources().get(a).toString().contains(f.logicalId()))).as(f.logicalId() + " errors").isNotEmpty();
            assertThat(alarms.stream().filter(a -> resources().get(a).toString().contains("Throttles")
                    && resources().get(a).toString().contains(f.logicalId()))).as(f.logicalId() + " throttles").isNotEmpty();
        }
        assertThat(ofType("AWS::CloudWatch::Dashboard")).hasSize(1);
        assertThat(map(template.get("Outputs"))).containsKeys("ApiUrl", "DataBucketName", "TrainingPipelineArn",
                "IngestDeadLetterQueueUrl");
    }

    @Test
    void theInferenceCode_shouldDeployBehindItsSnapStartAlias_asACanaryThatItsAlarmsRollBack() {
        // GIVEN the inference function as SAM deploys it
        Map<String, Object> f = properties("InferenceFunction");
        // THEN every deployment publishes a version behind `live`, which SnapStart snapshots
        assertThat(f.get("AutoPublishAlias")).isEqualTo("live");
        assertThat(map(f.get("SnapStart")).get("ApplyOn")).isEqualTo("PublishedVersions");
        // AND a new version takes a share of the calls first (a canary), rolled back by the 5xx and latency alarms
        Map<String, Object> preference = map(f.get("DeploymentPreference"));
        assertThat(preference.get("Type").toString()).startsWith("Canary");
        List<String> triggers = list(preference.get("Alarms")).stream().map(a -> map(a).get("Ref").toString()).toList();
        assertThat(triggers).hasSize(2).allSatisfy(a -> assertThat(ofType("AWS::CloudWatch::Alarm")).contains(a));
        assertThat(triggers.stream().map(a -> resources().get(a).toString()))
                .anySatisfy(a -> assertThat(a).contains("ServerErrors"))
                .anySatisfy(a -> assertThat(a).contains("Duration").contains("p99").contains(":live"));
    }

    @Test
    void endedExecutions_shouldReachTheRegistryFunction_asTheRealEventsAreShaped() throws Exception {
        // GIVEN the rule the template declares for the pipeline's status changes (on the default bus)
        StackModel.EventRule rule = stack.eventRules().stream().filter(r -> r.pattern().contains("aws.states"))
                .findFirst().orElseThrow();
        assertThat(rule.bus()).isEqualTo("default");
        assertThat(rule.targets()).extracting(StackModel.EventTarget::functionId).containsExactly("RegistryFunction");
        Machine machine = new Machine();
        machine.addRule(rule.name(), rule.pattern());
        String sample = Files.readString(Repo.file("events/RegistryFunction/execution-status-change.json"));
        // WHEN / THEN an ABORTED, FAILED or TIMED_OUT execution of this stack's pipeline matches; others do not
        for (String status : List.of("ABORTED", "FAILED", "TIMED_OUT")) {
            assertThat(machine.rulesForJSONEvent(sample.replace("\"ABORTED\"", "\"" + status + "\""))).as(status)
                    .containsExactly(rule.name());
        }
        assertThat(machine.rulesForJSONEvent(sample.replace("\"ABORTED\"", "\"SUCCEEDED\""))).isEmpty();
        assertThat(machine.rulesForJSONEvent(sample.replace("stateMachine:mlops-local-TrainingPipeline",
                "stateMachine:another"))).isEmpty();
    }
}

package dev.mlops.local.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The stack that template.yaml declares, resolved for the local runtime: physical names, each
 * function's handler and environment, what triggers it, and the state machine definition with its
 * substitutions applied. Local names follow CloudFormation's rules where the template names a
 * resource, and {@code <stack>-<LogicalId>} where it lets CloudFormation choose.
 */
public final class StackModel {

    /** Pseudo parameters of the local stack. */
    public static final String STACK_NAME = "mlops-local";
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";

    /**
     * Parameters the local stack caps below their default: {@code BatchMaxConcurrency} at the machine's processors.
     * On AWS each part of a batch job runs on its own vCPU; here they share the cores, and more at once than
     * there are cores only start more execution environments that contend for them.
     */
    static final Map<String, Integer> LOCAL_CAPS = Map.of("BatchMaxConcurrency",
            Runtime.getRuntime().availableProcessors());

    public record Bucket(String logicalId, String name, boolean versioned) {
    }

    public record KeyAttribute(String name, String type) {
    }

    public record Index(String name, KeyAttribute hash, KeyAttribute range) {
    }

    public record Table(String logicalId, String name, KeyAttribute hash, KeyAttribute range, List<Index> indexes) {
    }

    /** A function: its logical id, the physical name AWS would give it ({@code <stack>-<LogicalId>}), and more. */
    public record Function(String logicalId, String name, String handler, Map<String, String> environment,
                           int timeoutSeconds, int memorySize, String runtime) {
        public String arn() {
            return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + name;
        }
    }

    /** An S3 event source: objects created in {@code bucket} whose key has the prefix and suffix. */
    public record S3Trigger(String functionId, String bucket, String prefix, String suffix) {
        public boolean matches(String key) {
            return key.startsWith(prefix) && key.endsWith(suffix);
        }
    }

    public record HttpRoute(String functionId, String method, String path) {
    }

    public record Schedule(String functionId, String name, String expression) {
    }

    public record StateMachine(String logicalId, String name, String arn, String definition, String type) {
    }

    /** An EventBridge event bus; {@code default} always exists. */
    public record EventBus(String logicalId, String name) {
    }

    /**
     * Where a rule sends the events it matches: a function of the template, or a log group; what the target
     * receives is the event, or what the target's {@code InputTransformer} makes of it (null: none).
     */
    public record EventTarget(String id, String functionId, String logGroup, InputTransformer transformer) {

        /** The input the target receives for an event. */
        public String input(com.fasterxml.jackson.databind.JsonNode event, String eventJson) {
            return transformer == null ? eventJson : transformer.apply(event);
        }
    }

    /** An EventBridge rule: the bus it listens on, its event pattern (JSON) and its targets. */
    public record EventRule(String name, String bus, String pattern, List<EventTarget> targets) {
    }

    private final Map<String, Object> template;
    private final Path templateFile;
    private final Path templateDir;
    private final Intrinsics intrinsics;
    private final Map<String, Map<String, Object>> resources;

    private StackModel(Path templateFile) {
        this.template = TemplateYaml.load(templateFile);
        this.templateFile = templateFile.toAbsolutePath();
        this.templateDir = templateFile.toAbsolutePath().getParent();
        this.resources = section("Resources");
        this.intrinsics = new Intrinsics(new LocalNames());
    }

    /** Reads and resolves a template file. */
    public static StackModel load(Path templateFile) {
        return new StackModel(templateFile);
    }

    /** The template file this model was read from. */
    public Path templateFile() {
        return templateFile;
    }

    /** A template value with its intrinsic functions resolved against the local stack's names. */
    public Object resolve(Object value) {
        return intrinsics.resolve(value);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> section(String name) {
        Object s = template.get(name);
        return s == null ? Map.of() : (Map<String, Map<String, Object>>) s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private Map<String, Object> properties(String logicalId) {
        return map(resources.get(logicalId).get("Properties"));
    }

    private List<String> ofType(String type) {
        List<String> ids = new ArrayList<>();
        resources.forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    public List<Bucket> buckets() {
        List<Bucket> out = new ArrayList<>();
        for (String id : ofType("AWS::S3::Bucket")) {
            Object status = map(properties(id).get("VersioningConfiguration")).get("Status");
            out.add(new Bucket(id, intrinsics.resolveString(Map.of("Ref", id)), "Enabled".equals(status)));
        }
        return out;
    }

    /** The data bucket: the template declares exactly one. */
    public Bucket bucket() {
        List<Bucket> all = buckets();
        if (all.size() != 1) {
            throw new IllegalStateException("template.yaml declares " + all.size() + " buckets; the local runtime expects one");
        }
        return all.get(0);
    }

    /** The physical name of a table, by its logical id. */
    public String tableName(String logicalId) {
        return tables().stream().filter(t -> t.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no table " + logicalId)).name();
    }

    public List<Table> tables() {
        List<Table> out = new ArrayList<>();
        for (String id : ofType("AWS::DynamoDB::Table")) {
            Map<String, Object> p = properties(id);
            Map<String, String> types = new LinkedHashMap<>();
            for (Object d : (List<?>) p.get("AttributeDefinitions")) {
                types.put(map(d).get("AttributeName").toString(), map(d).get("AttributeType").toString());
            }
            KeyAttribute[] key = keySchema((List<?>) p.get("KeySchema"), types);
            List<Index> indexes = new ArrayList<>();
            for (Object g : (List<?>) p.getOrDefault("GlobalSecondaryIndexes", List.of())) {
                KeyAttribute[] k = keySchema((List<?>) map(g).get("KeySchema"), types);
                indexes.add(new Index(map(g).get("IndexName").toString(), k[0], k[1]));
            }
            out.add(new Table(id, intrinsics.resolveString(Map.of("Ref", id)), key[0], key[1], indexes));
        }
        return out;
    }

    private static KeyAttribute[] keySchema(List<?> schema, Map<String, String> types) {
        KeyAttribute[] key = new KeyAttribute[2];
        for (Object k : schema) {
            String name = map(k).get("AttributeName").toString();
            key["HASH".equals(map(k).get("KeyType")) ? 0 : 1] = new KeyAttribute(name, types.get(name));
        }
        return key;
    }

    public List<Function> functions() {
        Map<String, Object> globals = map(map(template.get("Globals")).get("Function"));
        List<Function> out = new ArrayList<>();
        for (String id : ofType("AWS::Serverless::Function")) {
            Map<String, Object> p = properties(id);
            Map<String, String> env = new LinkedHashMap<>();
            for (Map<String, Object> source : List.of(globals, p)) {
                map(map(source.get("Environment")).get("Variables"))
                        .forEach((k, v) -> env.put(k, intrinsics.resolveString(v)));
            }
            Object timeout = p.getOrDefault("Timeout", globals.getOrDefault("Timeout", 3));
            Object memory = p.getOrDefault("MemorySize", globals.getOrDefault("MemorySize", 128));
            out.add(new Function(id, intrinsics.resolveString(Map.of("Ref", id)), p.get("Handler").toString(), env,
                    Integer.parseInt(timeout.toString()), Integer.parseInt(memory.toString()),
                    String.valueOf(p.getOrDefault("Runtime", globals.getOrDefault("Runtime", "java21")))));
        }
        return out;
    }

    /**
     * How many times Lambda tries an asynchronous event of this function: 1 + its {@code EventInvokeConfig}'s
     * {@code MaximumRetryAttempts} (Lambda's default: 2 retries).
     */
    public int asyncAttempts(String logicalId) {
        Object retries = map(properties(logicalId).get("EventInvokeConfig")).get("MaximumRetryAttempts");
        return 1 + (retries == null ? 2 : Integer.parseInt(retries.toString()));
    }

    public Function function(String logicalIdOrName) {
        return functions().stream()
                .filter(f -> f.logicalId().equals(logicalIdOrName) || f.name().equals(logicalIdOrName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no function " + logicalIdOrName
                        + "; functions: " + functions().stream().map(Function::logicalId).toList()));
    }

    private List<Map.Entry<String, Map<String, Object>>> events(String type) {
        List<Map.Entry<String, Map<String, Object>>> out = new ArrayList<>();
        for (String id : ofType("AWS::Serverless::Function")) {
            map(properties(id).get("Events")).forEach((name, e) -> {
                if (type.equals(map(e).get("Type"))) {
                    Map<String, Object> withName = new LinkedHashMap<>(map(map(e).get("Properties")));
                    withName.put("__name", name);
                    out.add(Map.entry(id, withName));
                }
            });
        }
        return out;
    }

    public List<S3Trigger> s3Triggers() {
        List<S3Trigger> out = new ArrayList<>();
        for (var e : events("S3")) {
            String prefix = "";
            String suffix = "";
            for (Object rule : (List<?>) map(map(e.getValue().get("Filter")).get("S3Key")).getOrDefault("Rules", List.of())) {
                String name = map(rule).get("Name").toString().toLowerCase(Locale.ROOT);
                String value = intrinsics.resolveString(map(rule).get("Value"));
                if (name.equals("prefix")) {
                    prefix = value;
                } else if (name.equals("suffix")) {
                    suffix = value;
                }
            }
            out.add(new S3Trigger(e.getKey(), intrinsics.resolveString(e.getValue().get("Bucket")), prefix, suffix));
        }
        return out;
    }

    public List<HttpRoute> httpRoutes() {
        List<HttpRoute> out = new ArrayList<>();
        for (var e : events("HttpApi")) {
            out.add(new HttpRoute(e.getKey(), e.getValue().get("Method").toString().toUpperCase(Locale.ROOT),
                    e.getValue().get("Path").toString()));
        }
        return out;
    }

    /**
     * Every schedule that invokes a function, as template.yaml declares it: SAM {@code Schedule} (EventBridge rules)
     * and {@code ScheduleV2} (EventBridge Scheduler) events, {@code AWS::Events::Rule} resources with a
     * {@code ScheduleExpression}, and {@code AWS::Scheduler::Schedule} resources; disabled ones are left out.
     */
    public List<Schedule> schedules() {
        List<Schedule> out = new ArrayList<>();
        for (var e : events("Schedule")) {
            if (!"false".equals(String.valueOf(e.getValue().get("Enabled"))) && !disabled(e.getValue().get("State"))) {
                out.add(new Schedule(e.getKey(), e.getValue().get("__name").toString(),
                        intrinsics.resolveString(e.getValue().get("Schedule"))));
            }
        }
        for (var e : events("ScheduleV2")) {
            if (!disabled(e.getValue().get("State"))) {
                out.add(new Schedule(e.getKey(), e.getValue().get("__name").toString(),
                        intrinsics.resolveString(e.getValue().get("ScheduleExpression"))));
            }
        }
        for (String id : ofType("AWS::Events::Rule")) {
            Map<String, Object> p = properties(id);
            if (p.containsKey("ScheduleExpression") && !disabled(p.get("State"))) {
                for (Object t : (List<?>) p.getOrDefault("Targets", List.of())) {
                    functionOf(intrinsics.resolveString(map(t).get("Arn"))).ifPresent(f ->
                            out.add(new Schedule(f, id, intrinsics.resolveString(p.get("ScheduleExpression")))));
                }
            }
        }
        for (String id : ofType("AWS::Scheduler::Schedule")) {
            Map<String, Object> p = properties(id);
            if (!disabled(p.get("State"))) {
                functionOf(intrinsics.resolveString(map(p.get("Target")).get("Arn"))).ifPresent(f ->
                        out.add(new Schedule(f, id, intrinsics.resolveString(p.get("ScheduleExpression")))));
            }
        }
        return out;
    }

    private boolean disabled(Object state) {
        return state != null && "DISABLED".equals(intrinsics.resolveString(state));
    }

    /** The logical id of the template's function an ARN names, if it names one. */
    private Optional<String> functionOf(String arn) {
        if (arn == null || !arn.contains(":function:")) {
            return Optional.empty();
        }
        String name = arn.substring(arn.indexOf(":function:") + 10).split(":")[0];
        return Optional.of(function(name).logicalId());
    }

    /** The buses of the template, plus {@code default}. */
    public List<EventBus> eventBuses() {
        List<EventBus> out = new ArrayList<>();
        out.add(new EventBus("default", "default"));
        for (String id : ofType("AWS::Events::EventBus")) {
            out.add(new EventBus(id, intrinsics.resolveString(Map.of("Fn::GetAtt", List.of(id, "Name")))));
        }
        return out;
    }

    /**
     * The EventBridge rules: {@code AWS::Events::Rule} resources with an {@code EventPattern}
     * (schedules are {@link #schedules()}), and SAM functions' {@code EventBridgeRule} events.
     *
     * @throws IllegalStateException for a target the local runtime cannot deliver to
     */
    public List<EventRule> eventRules() {
        List<EventRule> out = new ArrayList<>();
        for (String id : ofType("AWS::Events::Rule")) {
            Map<String, Object> p = properties(id);
            if (!p.containsKey("EventPattern")) {
                continue;
            }
            List<EventTarget> targets = new ArrayList<>();
            for (Object t : (List<?>) p.getOrDefault("Targets", List.of())) {
                String arn = intrinsics.resolveString(map(t).get("Arn"));
                String targetId = String.valueOf(map(t).get("Id"));
                if (arn.contains(":log-group:")) {
                    String group = arn.substring(arn.indexOf(":log-group:") + 11);
                    targets.add(new EventTarget(targetId, null, group.endsWith(":*")
                            ? group.substring(0, group.length() - 2) : group, transformer(map(t).get("InputTransformer"))));
                } else if (arn.contains(":function:")) {
                    String name = arn.substring(arn.indexOf(":function:") + 10).split(":")[0];
                    targets.add(new EventTarget(targetId, function(name).logicalId(), null,
                            transformer(map(t).get("InputTransformer"))));
                } else {
                    throw new IllegalStateException("rule " + id + ": the local runtime delivers events to functions and "
                            + "log groups only, not to " + arn);
                }
            }
            out.add(new EventRule(id, busName(p.get("EventBusName")), json(intrinsics.resolve(p.get("EventPattern"))),
                    targets));
        }
        for (var e : events("EventBridgeRule")) {
            out.add(new EventRule(e.getKey() + "-" + e.getValue().get("__name"), busName(e.getValue().get("EventBusName")),
                    json(intrinsics.resolve(e.getValue().get("Pattern"))),
                    List.of(new EventTarget(e.getKey(), e.getKey(), null,
                            transformer(e.getValue().get("InputTransformer"))))));
        }
        return out;
    }

    /** A target's {@code InputTransformer} ({@code InputPathsMap}, {@code InputTemplate}), or null without one. */
    private InputTransformer transformer(Object value) {
        if (value == null) {
            return null;
        }
        Map<String, Object> t = map(value);
        Map<String, String> paths = new LinkedHashMap<>();
        map(t.get("InputPathsMap")).forEach((k, v) -> paths.put(k, intrinsics.resolveString(v)));
        return new InputTransformer(paths, intrinsics.resolveString(t.get("InputTemplate")));
    }

    private String busName(Object value) {
        if (value == null) {
            return "default";
        }
        String name = intrinsics.resolveString(value);
        return name.contains(":event-bus/") ? name.substring(name.indexOf(":event-bus/") + 11) : name;
    }

    private static String json(Object value) {
        try {
            return dev.mlops.core.Json.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<StateMachine> stateMachines() {
        List<StateMachine> out = new ArrayList<>();
        for (String id : ofType("AWS::Serverless::StateMachine")) {
            Map<String, Object> p = properties(id);
            String definition;
            try {
                definition = Files.readString(templateDir.resolve(p.get("DefinitionUri").toString()));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read DefinitionUri of " + id + ": " + e.getMessage(), e);
            }
            // SAM replaces ${Key} for each key of DefinitionSubstitutions, and nothing else.
            for (var s : map(p.get("DefinitionSubstitutions")).entrySet()) {
                definition = definition.replace("${" + s.getKey() + "}", intrinsics.resolveString(s.getValue()));
            }
            out.add(new StateMachine(id, intrinsics.resolveString(Map.of("Fn::GetAtt", List.of(id, "Name"))),
                    intrinsics.resolveString(Map.of("Ref", id)), definition,
                    String.valueOf(p.getOrDefault("Type", "STANDARD"))));
        }
        return out;
    }

    public Optional<String> parameterDefault(String name) {
        return Optional.ofNullable(map(section("Parameters").get(name)).get("Default")).map(Object::toString);
    }

    /** The value a parameter has in the local stack: its default, capped where {@link #LOCAL_CAPS} says. */
    public Optional<String> parameterValue(String name) {
        Integer cap = LOCAL_CAPS.get(name);
        return parameterDefault(name).map(v -> cap == null ? v
                : String.valueOf(Math.min(cap, Integer.parseInt(v.strip()))));
    }

    /** Local physical names and ARNs. */
    private final class LocalNames implements Intrinsics.Names {

        @Override
        public String ref(String name) {
            switch (name) {
                case "AWS::StackName": return STACK_NAME;
                case "AWS::AccountId": return ACCOUNT;
                case "AWS::Region": return REGION;
                case "AWS::Partition": return "aws";
                case "AWS::URLSuffix": return "amazonaws.com";
                default: break;
            }
            if (section("Parameters").containsKey(name)) {
                return parameterValue(name).orElseThrow(() ->
                        new IllegalArgumentException("parameter " + name + " has no Default for the local stack"));
            }
            Map<String, Object> resource = resources.get(name);
            if (resource == null) {
                throw new IllegalArgumentException("template.yaml refers to unknown " + name);
            }
            Map<String, Object> p = map(resource.get("Properties"));
            String type = resource.get("Type").toString();
            return switch (type) {
                case "AWS::S3::Bucket" -> p.containsKey("BucketName") ? intrinsics.resolveString(p.get("BucketName"))
                        : (STACK_NAME + "-" + name).toLowerCase(Locale.ROOT);
                case "AWS::DynamoDB::Table" -> p.containsKey("TableName") ? intrinsics.resolveString(p.get("TableName"))
                        : STACK_NAME + "-" + name;
                // CloudFormation names an unnamed function <stack>-<LogicalId>-<random suffix>; locally, no suffix.
                case "AWS::Serverless::Function" -> p.containsKey("FunctionName")
                        ? intrinsics.resolveString(p.get("FunctionName")) : STACK_NAME + "-" + name;
                case "AWS::SQS::Queue" -> "https://sqs." + REGION + ".amazonaws.com/" + ACCOUNT + "/" + getAtt(name, "QueueName");
                case "AWS::SNS::Topic" -> "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + (p.containsKey("TopicName")
                        ? intrinsics.resolveString(p.get("TopicName")) : STACK_NAME + "-" + name);
                case "AWS::Serverless::StateMachine" -> "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:"
                        + getAtt(name, "Name");
                case "AWS::Events::EventBus" -> getAtt(name, "Name");
                case "AWS::Logs::LogGroup" -> p.containsKey("LogGroupName") ? intrinsics.resolveString(p.get("LogGroupName"))
                        : STACK_NAME + "-" + name;
                default -> name;
            };
        }

        @Override
        public String getAtt(String resource, String attribute) {
            Map<String, Object> r = resources.get(resource);
            if (r == null) {
                throw new IllegalArgumentException("template.yaml refers to unknown " + resource + "." + attribute);
            }
            String type = r.get("Type").toString();
            Map<String, Object> p = map(r.get("Properties"));
            return switch (type + "." + attribute) {
                case "AWS::Serverless::Function.Arn" ->
                        "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + ref(resource);
                case "AWS::Serverless::StateMachine.Name" -> p.containsKey("Name")
                        ? intrinsics.resolveString(p.get("Name")) : STACK_NAME + "-" + resource;
                case "AWS::Serverless::StateMachine.Arn" -> ref(resource);
                case "AWS::S3::Bucket.Arn" -> "arn:aws:s3:::" + ref(resource);
                case "AWS::DynamoDB::Table.Arn" ->
                        "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + ref(resource);
                case "AWS::Events::EventBus.Name" -> p.containsKey("Name") ? intrinsics.resolveString(p.get("Name"))
                        : STACK_NAME + "-" + resource;
                case "AWS::Events::EventBus.Arn" ->
                        "arn:aws:events:" + REGION + ":" + ACCOUNT + ":event-bus/" + getAtt(resource, "Name");
                case "AWS::SQS::Queue.QueueName" -> p.containsKey("QueueName")
                        ? intrinsics.resolveString(p.get("QueueName")) : STACK_NAME + "-" + resource;
                case "AWS::SQS::Queue.Arn" -> "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + getAtt(resource, "QueueName");
                case "AWS::Logs::LogGroup.Arn" ->
                        "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + ref(resource) + ":*";
                default -> throw new IllegalArgumentException("the local runtime does not know "
                        + resource + "." + attribute + " (" + type + ")");
            };
        }
    }
}

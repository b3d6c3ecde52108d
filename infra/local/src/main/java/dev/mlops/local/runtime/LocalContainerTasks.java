package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.local.runtime.AwsJsonReplies.Failure;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ECS for the local stack: there is no open-source ECS emulator, so this serves the operations the Step Functions
 * facade's {@code ecs:runTask.sync} needs, {@code RunTask}, {@code DescribeTasks} and {@code StopTask}, over ECS's
 * real wire protocol (AWS JSON 1.1, {@code X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Operation>}, errors
 * as {@code {"__type", "message"}}). The task definitions are template.yaml's. A task runs as a process: a JVM
 * whose heap is 85 % of the task's memory and whose processors are its CPU units / 1,024, the main class its
 * container's command, the environment the container's variables with the run's overrides on top, plus the local
 * endpoints. Its output goes to {@code <logDir>/<family>/<task id>.log} (the task's awslogs stream on AWS).
 *
 * <p>Differences from AWS: one container per task, started at once (no image, no PROVISIONING or PENDING wait);
 * cluster, launch type and network configuration are accepted and not checked; the task's calls go straight to
 * the emulators, not through the IAM gateway (its role is not enforced locally); tasks are forgotten on restart.
 */
public final class LocalContainerTasks implements AutoCloseable {

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;
    private static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
    private static final double HEAP_SHARE = 0.85;

    private final HttpServer server;
    private final List<StackModel.TaskDefinition> definitions;
    private final Path logDir;
    private final Map<String, LocalTask> tasks = new ConcurrentHashMap<>();
    private volatile Map<String, String> wiring = Map.of();

    /**
     * @param definitions the template's task definitions
     * @param logDir      where each task's output is written
     */
    public LocalContainerTasks(List<StackModel.TaskDefinition> definitions, Path logDir) throws IOException {
        this.definitions = List.copyOf(definitions);
        this.logDir = logDir;
        this.server = AwsJsonReplies.serve("local-ecs", 2, TARGET_PREFIX, "ServerException", this::answer);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The variables every task gets besides its own: region, credentials and the emulators' endpoints. */
    public void wiring(Map<String, String> variables) {
        this.wiring = Map.copyOf(variables);
    }

    private Object answer(String operation, JsonNode request) throws IOException {
        return switch (operation) {
            case "RunTask" -> runTask(request);
            case "DescribeTasks" -> describeTasks(request);
            case "StopTask" -> stopTask(request);
            default -> throw new Failure("UnknownOperationException", "the local ECS implements RunTask, "
                    + "DescribeTasks and StopTask only, not " + operation);
        };
    }

    private Map<String, Object> runTask(JsonNode request) throws IOException {
        String reference = request.path("taskDefinition").asText("");
        StackModel.TaskDefinition definition = definition(reference).orElseThrow(() ->
                new Failure("ClientException", "TaskDefinition not found: " + reference));
        if (request.path("count").asInt(1) != 1) {
            throw new Failure("InvalidParameterException", "the local ECS runs one task per RunTask (count 1)");
        }
        StackModel.Container container = definition.containers().get(0);
        Map<String, String> environment = new LinkedHashMap<>(container.environment());
        List<String> command = container.command();
        for (JsonNode override : request.path("overrides").path("containerOverrides")) {
            if (!container.name().equals(override.path("name").asText())) {
                throw new Failure("InvalidParameterException", "Override for container named "
                        + override.path("name").asText() + " is not a container in the TaskDefinition.");
            }
            override.path("environment").forEach(v -> environment.put(v.path("name").asText(), v.path("value").asText()));
            if (override.has("command")) {
                List<String> words = new ArrayList<>();
                override.get("command").forEach(w -> words.add(w.asText()));
                command = words;
            }
        }
        if (command.isEmpty()) {
            throw new Failure("InvalidParameterException", "container " + container.name()
                    + " has no command: locally its last word names the main class to run");
        }
        String cluster = request.path("cluster").asText("default");
        String clusterArn = cluster.startsWith("arn:") ? cluster
                : "arn:aws:ecs:" + StackModel.REGION + ":" + StackModel.ACCOUNT + ":cluster/" + cluster;
        String taskId = UUID.randomUUID().toString().replace("-", "");
        String taskArn = "arn:aws:ecs:" + StackModel.REGION + ":" + StackModel.ACCOUNT + ":task/"
                + clusterArn.substring(clusterArn.lastIndexOf('/') + 1) + "/" + taskId;
        Path log = logDir.resolve(definition.family()).resolve(taskId + ".log");
        Files.createDirectories(log.getParent());
        LocalTask task = LocalTask.start(taskArn, clusterArn, definition, container.name(),
                request.path("launchType").asText("FARGATE"), request.path("overrides"),
                jvm(definition, command.get(command.size() - 1)), environment(environment), log);
        tasks.put(taskArn, task);
        return Map.of("tasks", List.of(task.describe()), "failures", List.of());
    }

    private Map<String, Object> describeTasks(JsonNode request) {
        List<Object> found = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        for (JsonNode arn : request.path("tasks")) {
            LocalTask task = find(arn.asText());
            if (task == null) {
                failures.add(Map.of("arn", arn.asText(), "reason", "MISSING"));
            } else {
                found.add(task.describe());
            }
        }
        return Map.of("tasks", found, "failures", failures);
    }

    private Map<String, Object> stopTask(JsonNode request) {
        LocalTask task = find(request.path("task").asText());
        if (task == null) {
            throw new Failure("InvalidParameterException", "The referenced task was not found.");
        }
        task.stop(request.path("reason").asText("Task stopped by user"));
        return Map.of("task", task.describe());
    }

    private LocalTask find(String arnOrId) {
        LocalTask task = tasks.get(arnOrId);
        if (task != null) {
            return task;
        }
        return tasks.values().stream().filter(t -> t.arn().endsWith("/" + arnOrId)).findFirst().orElse(null);
    }

    private Optional<StackModel.TaskDefinition> definition(String reference) {
        return definitions.stream().filter(d -> d.arn().equals(reference) || d.family().equals(reference)
                || (d.family() + ":1").equals(reference)).findFirst();
    }

    /** The task's JVM, held to its memory and CPU: the same limits Fargate gives the container. */
    private static List<String> jvm(StackModel.TaskDefinition definition, String mainClass) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + (int) (definition.memoryMb() * HEAP_SHARE) + "m");
        command.add("-XX:ActiveProcessorCount=" + Math.max(1, definition.cpuUnits() / 1024));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        return command;
    }

    private Map<String, String> environment(Map<String, String> container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String inherited : List.of("PATH", "LANG", "TMPDIR")) {
            String value = System.getenv(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.putAll(wiring);
        env.putAll(container);
        return env;
    }

    /** Stops every task still running (their processes end with the stack). */
    @Override
    public void close() {
        server.stop(0);
        tasks.values().forEach(t -> t.stop("local stack stopped"));
    }
}

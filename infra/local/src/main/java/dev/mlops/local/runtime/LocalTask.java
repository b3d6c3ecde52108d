package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task of {@link LocalContainerTasks}: its process, and its description in ECS's shape ({@code DescribeTasks}):
 * RUNNING while the process lives, then STOPPED with the container's exit code and ECS's stop code and reason.
 */
final class LocalTask {

    private final String arn;
    private final String clusterArn;
    private final StackModel.TaskDefinition definition;
    private final String containerName;
    private final String launchType;
    private final JsonNode overrides;
    private final Process process;
    private final long createdAt = System.currentTimeMillis();
    private volatile Long stoppedAt;
    private volatile Integer exitCode;
    private volatile String stopCode;
    private volatile String stoppedReason;

    private LocalTask(String arn, String clusterArn, StackModel.TaskDefinition definition, String containerName,
                      String launchType, JsonNode overrides, Process process) {
        this.arn = arn;
        this.clusterArn = clusterArn;
        this.definition = definition;
        this.containerName = containerName;
        this.launchType = launchType;
        this.overrides = overrides;
        this.process = process;
    }

    static LocalTask start(String arn, String clusterArn, StackModel.TaskDefinition definition, String containerName,
                           String launchType, JsonNode overrides, List<String> command, Map<String, String> environment,
                           Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(environment);
        LocalTask task = new LocalTask(arn, clusterArn, definition, containerName, launchType, overrides,
                builder.start());
        task.process.onExit().thenAccept(p -> task.exited(p.exitValue()));
        return task;
    }

    String arn() {
        return arn;
    }

    private synchronized void exited(int code) {
        exitCode = code;
        stoppedAt = System.currentTimeMillis();
        if (stopCode == null) {
            stopCode = "EssentialContainerExited";
            stoppedReason = "Essential container in task exited";
        }
    }

    synchronized void stop(String reason) {
        if (stoppedAt != null || !process.isAlive()) {
            return;
        }
        stopCode = "UserInitiated";
        stoppedReason = reason;
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The task as DescribeTasks answers it. */
    synchronized Map<String, Object> describe() {
        String status = stoppedAt == null ? "RUNNING" : "STOPPED";
        Map<String, Object> container = new LinkedHashMap<>();
        container.put("containerArn", arn.replace(":task/", ":container/") + "/" + containerName);
        container.put("taskArn", arn);
        container.put("name", containerName);
        container.put("lastStatus", status);
        if (exitCode != null) {
            container.put("exitCode", exitCode);
        }
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("taskArn", arn);
        task.put("clusterArn", clusterArn);
        task.put("taskDefinitionArn", definition.arn());
        task.put("launchType", launchType);
        task.put("cpu", Integer.toString(definition.cpuUnits()));
        task.put("memory", Integer.toString(definition.memoryMb()));
        task.put("lastStatus", status);
        task.put("desiredStatus", status.equals("RUNNING") ? "RUNNING" : "STOPPED");
        task.put("containers", List.of(container));
        task.put("overrides", overrides);
        task.put("createdAt", createdAt / 1000.0);
        task.put("startedAt", createdAt / 1000.0);
        if (stoppedAt != null) {
            task.put("stoppingAt", stoppedAt / 1000.0);
            task.put("stoppedAt", stoppedAt / 1000.0);
            task.put("executionStoppedAt", stoppedAt / 1000.0);
            task.put("stopCode", stopCode);
            task.put("stoppedReason", stoppedReason);
        }
        return task;
    }
}

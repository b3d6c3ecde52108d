package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running local environment publishes in {@code <home>/runtime.json}, so that other
 * commands (another terminal's {@code ./mlops predict}) use it instead of starting their own. {@code gateway} is
 * the one endpoint every AWS client can use (any service, IAM enforced for the functions' keys).
 */
public record RuntimeInfo(long pid, String apiUrl, String lambdaUrl, String s3, String dynamodb, String stepFunctions,
                          List<Long> emulatorPids, Map<String, Long> emulatorStartMillis, String startedAt,
                          String events, String gateway, boolean iamEnforced, double scheduleSpeedup) {

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;

    public static Path file(Path home) {
        return home.resolve("runtime.json");
    }

    /** The published environment, if its process is still alive. */
    public static Optional<RuntimeInfo> readLive(Path home) {
        Path f = file(home);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            RuntimeInfo info = JSON.readValue(f.toFile(), RuntimeInfo.class);
            return ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false) ? Optional.of(info) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void write(Path home) throws IOException {
        Path tmp = home.resolve("runtime.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(tmp, file(home), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

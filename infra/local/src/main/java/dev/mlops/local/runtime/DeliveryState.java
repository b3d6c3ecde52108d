package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What the local S3 notifications delivered, and the dead-letter queue of the events whose every attempt failed:
 * the local counterpart of the ingest function's on-failure destination (an SQS queue on AWS). A dead letter
 * holds the message exactly as Lambda sends it to that destination (the original event is its
 * {@code requestPayload}), so a redrive replays the same bytes locally and on AWS.
 *
 * <p>Kept in one JSON file under the data folder; every change is a read-modify-write under a lock on a file
 * next to it, so the running stack and {@code ./mlops datasets redrive} (another process) never lose each
 * other's changes.
 */
public final class DeliveryState {

    /**
     * One event in the dead-letter queue.
     *
     * @param id       the delivery's identity (function, bucket, key, version id)
     * @param function the function's logical id
     * @param key      the object's key
     * @param versionId the object's version id
     * @param attempts delivery attempts that failed
     * @param at       when it was dead-lettered
     * @param message  the on-failure destination's message: {@code requestContext}, {@code requestPayload} (the
     *                 event), {@code responseContext}, {@code responsePayload} (the last error)
     * @param outcomeRecorded whether the upload's FAILED_DELIVERY outcome is in the catalog yet
     */
    public record DeadLetter(String id, String function, String key, String versionId, int attempts, Instant at,
                             JsonNode message, boolean outcomeRecorded) {

        /** The event the function was invoked with. */
        public JsonNode event() {
            return message.path("requestPayload");
        }

        /** The last error, {@code errorType: errorMessage}. */
        public String error() {
            JsonNode e = message.path("responsePayload");
            return e.path("errorType").asText() + ": " + e.path("errorMessage").asText();
        }

        DeadLetter withOutcomeRecorded() {
            return new DeadLetter(id, function, key, versionId, attempts, at, message, true);
        }
    }

    /** The file's content. */
    record Content(Set<String> delivered, List<DeadLetter> deadLetters) {
        Content {
            delivered = delivered == null ? new TreeSet<>() : new TreeSet<>(delivered);
            deadLetters = deadLetters == null ? new ArrayList<>() : new ArrayList<>(deadLetters);
        }
    }

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;

    private final Path file;
    private final Path lockFile;

    public DeliveryState(Path file) {
        this.file = file;
        this.lockFile = file.resolveSibling(file.getFileName() + ".lock");
    }

    /** The state file of a data folder. */
    public static DeliveryState of(Path home) {
        return new DeliveryState(home.resolve("deliveries.json"));
    }

    /** Every delivery identity that needs no further delivery: delivered, or waiting in the dead-letter queue. */
    public Set<String> handled() {
        Content c = read();
        Set<String> out = new HashSet<>(c.delivered());
        c.deadLetters().forEach(d -> out.add(d.id()));
        return out;
    }

    public void delivered(String id) {
        update(c -> c.delivered().add(id));
    }

    public void deadLettered(DeadLetter letter) {
        update(c -> {
            c.deadLetters().removeIf(d -> d.id().equals(letter.id()));
            c.deadLetters().add(letter);
        });
    }

    /** The dead-letter queue, oldest first. */
    public List<DeadLetter> deadLetters() {
        return List.copyOf(read().deadLetters());
    }

    /** A dead letter's upload now has its FAILED_DELIVERY outcome in the catalog. */
    public void outcomeRecorded(String id) {
        update(c -> c.deadLetters().replaceAll(d -> d.id().equals(id) ? d.withOutcomeRecorded() : d));
    }

    /** A dead letter replayed successfully: it leaves the queue, its event counts as delivered. */
    public void redriven(String id) {
        update(c -> {
            c.deadLetters().removeIf(d -> d.id().equals(id));
            c.delivered().add(id);
        });
    }

    /**
     * One monitor per state file in this JVM: a file lock is held per process, and a second instance asking for it
     * in the same JVM (the runtime and a command started in it, two threads) would get OverlappingFileLockException.
     */
    private static final java.util.Map<Path, Object> IN_THIS_JVM = new java.util.concurrent.ConcurrentHashMap<>();

    private Object monitor() {
        return IN_THIS_JVM.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new Object());
    }

    private Content read() {
        synchronized (monitor()) {
            return readLocked();
        }
    }

    private Content readLocked() {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private void update(Consumer<Content> change) {
        synchronized (monitor()) {
            updateLocked(change);
        }
    }

    private void updateLocked(Consumer<Content> change) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Content c = load();
            change.accept(c);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), c);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private Content load() throws IOException {
        if (!Files.exists(file)) {
            return new Content(null, null);
        }
        return JSON.readValue(file.toFile(), Content.class);
    }

    /** The message Lambda sends to an on-failure destination after the last attempt of an asynchronous event. */
    static ObjectNode destinationMessage(String functionArn, int attempts, byte[] event, FunctionError error)
            throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("version", "1.0");
        m.put("timestamp", Instant.now().toString());
        ObjectNode request = m.putObject("requestContext");
        request.put("requestId", java.util.UUID.randomUUID().toString());
        request.put("functionArn", functionArn + ":$LATEST");
        request.put("condition", "RetriesExhausted");
        request.put("approximateInvokeCount", attempts);
        m.set("requestPayload", JSON.readTree(event));
        ObjectNode response = m.putObject("responseContext");
        response.put("statusCode", 200);
        response.put("executedVersion", "$LATEST");
        response.put("functionError", "Unhandled");
        ObjectNode payload = m.putObject("responsePayload");
        payload.put("errorMessage", error.errorMessage());
        if (error.errorType() != null) {
            payload.put("errorType", error.errorType());
        }
        return m;
    }
}

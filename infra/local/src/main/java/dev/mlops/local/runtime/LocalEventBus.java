package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.local.runtime.AwsJsonReplies.Failure;
import dev.mlops.local.template.StackModel;
import software.amazon.event.ruler.Machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * EventBridge for the local stack: there is no open-source EventBridge emulator, so this serves
 * the one operation the functions use, {@code PutEvents}, over its real wire protocol (AWS JSON
 * 1.1, {@code X-Amz-Target: AWSEvents.PutEvents}, errors as {@code {"__type", "message"}}), so the
 * functions' {@code EventBridgeClient} works unchanged. Each accepted event is matched against the
 * rules template.yaml declares on its bus with AWS's own matcher (event-ruler, the library
 * EventBridge uses), then delivered as EventBridge would: to a function asynchronously (the
 * event as its payload, three attempts), to a log group as one JSON line in
 * {@code <home>/logs/events/<group>.jsonl}, which {@code ./mlops events tail} reads.
 *
 * <p>Differences from AWS: only PutEvents; no signature check; an unknown bus fails the request
 * ({@code ResourceNotFoundException}); log-group targets are written before PutEvents answers; a
 * delivery that fails three times is dropped with a line on stderr (no dead-letter queue).
 */
public final class LocalEventBus implements AutoCloseable {

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;
    private static final int MAX_ENTRIES = 10;
    private static final int ATTEMPTS = 3;

    private final HttpServer server;
    private final Map<String, Machine> machines = new LinkedHashMap<>();
    private final Map<String, StackModel.EventRule> rules = new LinkedHashMap<>();
    private final Map<String, FunctionHost> hostsByLogicalId;
    private final Path logDir;
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "event-delivery");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param model            the template (buses and rules)
     * @param hostsByLogicalId the functions, by logical id (filled in by the caller before events flow)
     * @param logDir           where log-group targets are written
     */
    public LocalEventBus(StackModel model, Map<String, FunctionHost> hostsByLogicalId, Path logDir) throws IOException {
        this.hostsByLogicalId = hostsByLogicalId;
        this.logDir = logDir;
        for (StackModel.EventBus bus : model.eventBuses()) {
            machines.put(bus.name(), new Machine());
        }
        for (StackModel.EventRule rule : model.eventRules()) {
            Machine machine = machines.get(rule.bus());
            if (machine == null) {
                throw new IllegalStateException("rule " + rule.name() + " listens on bus " + rule.bus()
                        + ", which template.yaml does not declare");
            }
            try {
                machine.addRule(rule.name(), rule.pattern());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("rule " + rule.name() + ": invalid event pattern " + rule.pattern()
                        + ": " + e.getMessage(), e);
            }
            rules.put(rule.name(), rule);
        }
        Files.createDirectories(logDir);
        this.server = AwsJsonReplies.serve("local-events", 4, "AWSEvents.", "InternalException", this::answer);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The file a log group's events are written to. */
    public static Path logFile(Path logDir, String logGroup) {
        String name = logGroup.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+", "");
        return logDir.resolve(name + ".jsonl");
    }

    private Object answer(String operation, JsonNode request) throws IOException {
        if (!"PutEvents".equals(operation)) {
            throw new Failure("UnknownOperationException", "the local event bus implements PutEvents only, not "
                    + operation);
        }
        JsonNode entries = request == null ? null : request.get("Entries");
        if (entries == null || !entries.isArray() || entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw new Failure("ValidationException", "Entries must hold 1 to " + MAX_ENTRIES + " entries");
        }
        for (JsonNode entry : entries) {
            String bus = busName(entry);
            if (!machines.containsKey(bus)) {
                throw new Failure("ResourceNotFoundException", "Event bus " + bus + " does not exist.");
            }
        }
        return putEvents(entries);
    }

    private Map<String, Object> putEvents(JsonNode entries) throws IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        int failed = 0;
        for (JsonNode entry : entries) {
            String problem = problem(entry);
            if (problem != null) {
                failed++;
                results.add(Map.of("ErrorCode", problem.startsWith("Malformed") ? "MalformedDetail" : "InvalidArgument",
                        "ErrorMessage", problem));
                continue;
            }
            ObjectNode event = event(entry);
            route(busName(entry), event);
            results.add(Map.of("EventId", event.get("id").asText()));
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("FailedEntryCount", failed);
        response.put("Entries", results);
        return response;
    }

    private static String problem(JsonNode entry) {
        for (String field : List.of("Source", "DetailType", "Detail")) {
            if (!entry.path(field).isTextual() || entry.path(field).asText().isEmpty()) {
                return "Parameter " + field + " is not valid. Reason: " + field + " is a required argument.";
            }
        }
        try {
            JsonNode detail = JSON.readTree(entry.get("Detail").asText());
            return detail != null && detail.isObject() ? null : "Malformed detail: it must be a JSON object";
        } catch (IOException e) {
            return "Malformed detail: it is not JSON";
        }
    }

    /** The event as EventBridge delivers it to targets. */
    private static ObjectNode event(JsonNode entry) throws IOException {
        Instant time = entry.has("Time") && entry.get("Time").isNumber()
                ? Instant.ofEpochMilli((long) (entry.get("Time").asDouble() * 1000)) : Instant.now();
        ObjectNode event = JSON.createObjectNode();
        event.put("version", "0");
        event.put("id", UUID.randomUUID().toString());
        event.put("detail-type", entry.get("DetailType").asText());
        event.put("source", entry.get("Source").asText());
        event.put("account", StackModel.ACCOUNT);
        event.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        event.put("region", StackModel.REGION);
        ArrayNode resources = event.putArray("resources");
        entry.path("Resources").forEach(resources::add);
        event.set("detail", JSON.readTree(entry.get("Detail").asText()));
        return event;
    }

    private static String busName(JsonNode entry) {
        String bus = entry.path("EventBusName").asText("default");
        if (bus.isEmpty()) {
            return "default";
        }
        return bus.contains(":event-bus/") ? bus.substring(bus.indexOf(":event-bus/") + 11) : bus;
    }

    private void route(String bus, ObjectNode event) throws IOException {
        String json = JSON.writeValueAsString(event);
        List<String> matched;
        try {
            matched = machines.get(bus).rulesForJSONEvent(json);
        } catch (Exception e) {
            throw new IllegalStateException("cannot match event " + event.get("id").asText() + ": " + e.getMessage(), e);
        }
        for (String ruleName : matched) {
            for (StackModel.EventTarget target : rules.get(ruleName).targets()) {
                String input = target.input(event, json);
                if (target.logGroup() != null) {
                    writeLog(target.logGroup(), input);
                } else {
                    delivery.execute(Surviving.of("delivering events", () -> deliver(ruleName, target.functionId(),
                            event.get("id").asText(), input)));
                }
            }
        }
    }

    private synchronized void writeLog(String group, String json) throws IOException {
        Files.writeString(logFile(logDir, group), json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private void deliver(String rule, String functionId, String eventId, String json) {
        FunctionHost host = hostsByLogicalId.get(functionId);
        // Events may arrive while the stack is still starting (the Step Functions facade reports executions it
        // found interrupted as soon as it is up): wait for the function to be there.
        for (int waited = 0; host == null && waited < 600; waited++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            host = hostsByLogicalId.get(functionId);
        }
        if (host == null) {
            record(rule, functionId, eventId, "dropped (no such function)");
            return;
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FunctionHost.Result result = host.invoke(json.getBytes(StandardCharsets.UTF_8));
            if (!result.failed()) {
                record(rule, functionId, eventId, "delivered");
                return;
            }
            System.err.println("[events] " + rule + " -> " + functionId + " failed on event " + eventId + " (attempt "
                    + attempt + "/" + ATTEMPTS + "): " + result.error().summary());
        }
        record(rule, functionId, eventId, "dropped");
    }

    /** One line per delivery to a function, so that people and tests can see what reached whom. */
    private synchronized void record(String rule, String functionId, String eventId, String outcome) {
        try {
            Files.writeString(logDir.resolve("deliveries.log"), Instant.now() + " " + rule + " " + functionId + " "
                    + eventId + " " + outcome + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("[events] cannot record a delivery: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        delivery.shutdown();
        try {
            delivery.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

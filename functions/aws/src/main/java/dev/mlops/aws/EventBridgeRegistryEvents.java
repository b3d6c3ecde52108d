package dev.mlops.aws;

import dev.mlops.core.Json;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ports.RegistryEvents;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link RegistryEvents} on EventBridge {@code PutEvents}: source {@value RegistryEvent#SOURCE}, the
 * event's detail-type, its detail as JSON, on the stack's bus. A request carries at most ten
 * entries; entries the bus did not take (it answers per entry) are sent again, up to three
 * attempts, then the call fails as a {@link TransientException} naming the error codes.
 */
public final class EventBridgeRegistryEvents implements RegistryEvents {

    /** PutEvents' limit on entries per request. */
    static final int MAX_ENTRIES = 10;
    private static final int ATTEMPTS = 3;

    private final EventBridgeClient client;
    private final String busName;

    public EventBridgeRegistryEvents(EventBridgeClient client, String busName) {
        this.client = client;
        this.busName = busName;
    }

    @Override
    public void publish(List<RegistryEvent> events) {
        for (int from = 0; from < events.size(); from += MAX_ENTRIES) {
            List<PutEventsRequestEntry> batch = new ArrayList<>();
            for (RegistryEvent e : events.subList(from, Math.min(events.size(), from + MAX_ENTRIES))) {
                batch.add(entry(e));
            }
            send(batch);
        }
    }

    private PutEventsRequestEntry entry(RegistryEvent e) {
        return PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(RegistryEvent.SOURCE)
                .detailType(e.detailType())
                .time(e.at())
                .detail(Json.string(e.detailDocument()))
                .build();
    }

    private void send(List<PutEventsRequestEntry> entries) {
        List<PutEventsRequestEntry> pending = entries;
        String errors = "";
        for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
            List<PutEventsRequestEntry> batch = pending;
            PutEventsResponse response = AwsCalls.call(client, "publishing " + batch.size() + " registry event(s) on "
                    + busName, () -> client.putEvents(b -> b.entries(batch)));
            if (response.failedEntryCount() == null || response.failedEntryCount() == 0) {
                return;
            }
            List<PutEventsRequestEntry> failed = new ArrayList<>();
            StringBuilder codes = new StringBuilder();
            for (int i = 0; i < batch.size(); i++) {
                PutEventsResultEntry result = response.entries().get(i);
                if (result.errorCode() != null) {
                    failed.add(batch.get(i));
                    codes.append(codes.length() == 0 ? "" : "; ").append(batch.get(i).detailType()).append(": ")
                            .append(result.errorCode()).append(' ').append(result.errorMessage());
                }
            }
            pending = failed;
            errors = codes.toString();
        }
        if (!pending.isEmpty()) {
            throw new TransientException("EventBridge bus " + busName + " did not take " + pending.size()
                    + " registry event(s) after " + ATTEMPTS + " attempts: " + errors, null);
        }
    }
}

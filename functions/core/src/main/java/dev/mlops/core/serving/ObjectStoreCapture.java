package dev.mlops.core.serving;

import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.ports.ObjectStore;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;

/** Writes each captured request as one JSON Lines object under {@code capture/<model>/dt=<day>/}. */
public final class ObjectStoreCapture implements CaptureSink {

    private final ObjectStore store;

    public ObjectStoreCapture(ObjectStore store) {
        this.store = store;
    }

    @Override
    public void capture(CapturedRequest request) {
        byte[] line = (Json.string(request) + "\n").getBytes(StandardCharsets.UTF_8);
        store.put(Layout.captureKey(request.model(), request.timestamp().atZone(ZoneOffset.UTC).toLocalDate(),
                request.requestId()), line, "application/x-ndjson");
    }
}

package dev.mlops.core.ports.memory;

import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.ports.RegistryEvents;

import java.util.ArrayList;
import java.util.List;

/** {@link RegistryEvents} that keeps what was published, in order; can be told to fail like a bus that is down. */
public final class RecordingRegistryEvents implements RegistryEvents {

    private final List<RegistryEvent> published = new ArrayList<>();
    private RuntimeException failure;

    @Override
    public synchronized void publish(List<RegistryEvent> events) {
        if (failure != null) {
            throw failure;
        }
        published.addAll(events);
    }

    /** Every event published so far. */
    public synchronized List<RegistryEvent> published() {
        return List.copyOf(published);
    }

    /** The detail-types published so far, in order. */
    public synchronized List<String> detailTypes() {
        return published.stream().map(RegistryEvent::detailType).toList();
    }

    /** Makes every later publish throw {@code e} (null: publish again). */
    public synchronized void failWith(RuntimeException e) {
        this.failure = e;
    }

    public synchronized void clear() {
        published.clear();
    }
}

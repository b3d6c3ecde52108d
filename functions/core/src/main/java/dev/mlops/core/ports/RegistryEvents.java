package dev.mlops.core.ports;

import dev.mlops.core.domain.RegistryEvent;

import java.util.List;

/**
 * Where registry changes are announced (EventBridge on AWS, source {@value RegistryEvent#SOURCE}).
 * Events are published after the change they describe is stored, at least once: a step retried
 * after a failure may publish again, so consumers treat them as notifications, not as the record
 * (the audit trail is the record).
 */
public interface RegistryEvents {

    /** Publishes nothing: for callers that announce no change. */
    RegistryEvents NONE = events -> { };

    /**
     * Publishes the events, in order.
     *
     * @throws dev.mlops.core.errors.TransientException when the bus could not take them all; the
     *         caller's step fails and its retry publishes again
     */
    void publish(List<RegistryEvent> events);

    default void publish(RegistryEvent... events) {
        publish(List.of(events));
    }
}

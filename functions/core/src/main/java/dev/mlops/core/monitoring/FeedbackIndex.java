package dev.mlops.core.monitoring;

import dev.mlops.core.Layout;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.serving.Feedback;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ground-truth labels received in a window, by request id and instance, for the drift check to join with
 * the captured predictions. Keys are in time order, so a later label for the same prediction replaces an
 * earlier one. At most {@code max} labels are kept (the rest counted).
 */
final class FeedbackIndex {

    final Map<String, Map<Integer, String>> labels = new HashMap<>();
    long dropped;
    long unreadable;

    private FeedbackIndex() {
    }

    static FeedbackIndex read(ObjectStore store, String model, Instant after, Instant until, int max) {
        FeedbackIndex index = new FeedbackIndex();
        String prefix = Layout.feedbackPrefix(model);
        for (ObjectStore.ObjectInfo object : store.list(prefix, Layout.timedStartAfter(prefix, after))) {
            Optional<Instant> at = Layout.keyTime(object.key());
            if (at.isEmpty()) {
                continue;
            }
            if (at.get().isAfter(until)) {
                break;
            }
            Optional<ObjectStore.StoredObject> found = store.find(object.key());
            if (found.isEmpty()) {
                continue;
            }
            try {
                for (Feedback.Label l : Feedback.read(found.get().bytes())) {
                    Map<Integer, String> byInstance = index.labels.get(l.requestId());
                    if (byInstance == null && index.labels.size() >= max) {
                        index.dropped++;
                        continue;
                    }
                    index.labels.computeIfAbsent(l.requestId(), k -> new HashMap<>(2)).put(l.instance(), l.label());
                }
            } catch (ContractException e) {
                index.unreadable++;
            }
        }
        return index;
    }
}

package dev.mlops.core.monitoring;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.mlops.core.Layout;
import dev.mlops.core.drift.CurrentWindow;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ports.ObjectStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;

/**
 * One streaming pass over a model's captured traffic: the batches whose keys fall in the drift window feed a
 * {@link CurrentWindow} (every row, every prediction); the batches whose keys fall in the quality window are
 * joined with the ground-truth labels by request id and instance. Batches are chosen by key alone ({@link
 * Layout#keyTime}), listed once, fetched one ahead of the one being parsed, and parsed as a stream (gzip, then
 * Jackson's streaming parser, no tree per record), so memory does not grow with the window (two batches at a time),
 * only with the labelled rows (bounded by the feedback, itself bounded by {@code maxLabelled}).
 */
final class CaptureScan {

    /** Keys in {@code (start, end]}. */
    record Window(Instant start, Instant end) {
        boolean contains(Instant t) {
            return t.isAfter(start) && !t.isAfter(end);
        }
    }

    /**
     * A captured row that got a ground-truth label.
     *
     * @param features  the instance as captured (feature to JSON scalar)
     * @param predicted the predicted class, or a regression's predicted value as text
     * @param actual    the true class or value, as the feedback gave it
     */
    record LabelledRow(String requestId, int instance, int modelVersion, Map<String, Object> features,
                       String predicted, String actual) {
    }

    /** What the pass read. */
    static final class Result {
        long objects;
        long records;
        long rows;
        long bytes;
        long unreadableObjects;
        String unreadableExample;
        long labelledDropped;
        final List<LabelledRow> labelled = new ArrayList<>();
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    private CaptureScan() {
    }

    /**
     * @param labels      ground truth: request id → instance → label (may be empty)
     * @param quality     the window whose rows are joined with {@code labels} (null: none)
     * @param maxLabelled most labelled rows kept (the rest counted in {@link Result#labelledDropped})
     */
    static Result scan(ObjectStore store, String model, Window drift, Window quality, CurrentWindow current,
                       Map<String, Map<Integer, String>> labels, int maxLabelled) {
        Instant from = quality == null || drift.start().isBefore(quality.start()) ? drift.start() : quality.start();
        Instant to = quality == null || drift.end().isAfter(quality.end()) ? drift.end() : quality.end();
        String prefix = Layout.capturePrefix(model);
        Result result = new Result();
        List<ObjectStore.ObjectInfo> batches = new ArrayList<>();
        List<boolean[]> windows = new ArrayList<>();
        for (ObjectStore.ObjectInfo object : store.list(prefix, Layout.timedStartAfter(prefix, from))) {
            Optional<Instant> written = Layout.keyTime(object.key());
            if (written.isEmpty()) {
                continue;
            }
            if (written.get().isAfter(to)) {
                break;
            }
            boolean inDrift = drift.contains(written.get());
            boolean inQuality = quality != null && quality.contains(written.get());
            if (inDrift || inQuality) {
                batches.add(object);
                windows.add(new boolean[] {inDrift, inQuality});
            }
        }
        Names names = new Names(current);
        // The next batch is fetched while this one is parsed: the wait for S3 overlaps the work (two batches in
        // memory at most, each a few MB compressed).
        ExecutorService fetcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "capture-fetch");
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Optional<ObjectStore.StoredObject>> next = batches.isEmpty() ? null
                    : fetcher.submit(() -> store.find(batches.get(0).key()));
            for (int i = 0; i < batches.size(); i++) {
                ObjectStore.ObjectInfo object = batches.get(i);
                Optional<ObjectStore.StoredObject> fetched = await(next);
                String nextKey = i + 1 < batches.size() ? batches.get(i + 1).key() : null;
                next = nextKey == null ? null : fetcher.submit(() -> store.find(nextKey));
                if (fetched.isEmpty()) {
                    continue; // deleted since it was listed (a lifecycle rule): nothing to read
                }
                result.objects++;
                result.bytes += fetched.get().bytes().length;
                boolean inDrift = windows.get(i)[0];
                boolean inQuality = windows.get(i)[1];
                InputStream raw = new ByteArrayInputStream(fetched.get().bytes());
                try (InputStream in = object.key().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                     JsonParser parser = JSON.createParser(in)) {
                    JsonToken t;
                    while ((t = parser.nextToken()) != null) {
                        if (t != JsonToken.START_OBJECT) {
                            throw new IOException("expected one JSON object per line, got " + t);
                        }
                        record(parser, inDrift, inQuality, current, names, labels, maxLabelled, result);
                    }
                } catch (IOException | RuntimeException e) {
                    // One damaged batch must not stop the check: it is counted and named in the report.
                    result.unreadableObjects++;
                    if (result.unreadableExample == null) {
                        result.unreadableExample = object.key() + ": " + e.getMessage();
                    }
                }
            }
        } finally {
            fetcher.shutdownNow();
        }
        return result;
    }

    private static Optional<ObjectStore.StoredObject> await(Future<Optional<ObjectStore.StoredObject>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientException("interrupted while reading captures", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // an unreachable store fails the check (TransientException): it is retried
            }
            throw new TransientException("reading captures failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Column indexes by field position: the rows of a batch repeat their field names in the same order, and the
     * parser hands out the same (interned) name instances, so most lookups are one comparison.
     */
    private static final class Names {
        private final CurrentWindow current;
        private final String[] seen = new String[256];
        private final int[] index = new int[256];

        Names(CurrentWindow current) {
            this.current = current;
        }

        int index(int position, String name) {
            if (position < seen.length) {
                if (seen[position] == name) {
                    return index[position];
                }
                seen[position] = name;
                index[position] = current.index(name);
                return index[position];
            }
            return current.index(name);
        }
    }

    /** One captured request, the parser on its START_OBJECT. */
    private static void record(JsonParser p, boolean inDrift, boolean inQuality, CurrentWindow current, Names names,
                               Map<String, Map<Integer, String>> labels, int maxLabelled, Result result)
            throws IOException {
        result.records++;
        String requestId = null;
        Map<Integer, String> truth = null;
        int version = 0;
        List<Map<String, Object>> kept = null;
        int rowsHere = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "request_id" -> {
                    requestId = p.getText();
                    truth = inQuality ? labels.get(requestId) : null;
                }
                case "model_version" -> version = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
                case "instances" -> {
                    if (value != JsonToken.START_ARRAY || !inDrift && truth == null) {
                        if (value == JsonToken.START_ARRAY) {
                            rowsHere = -1; // rows of a request outside the drift window and unlabelled: not counted
                        }
                        p.skipChildren();
                        break;
                    }
                    if (truth != null) {
                        kept = new ArrayList<>();
                    }
                    int index = 0;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        boolean keep = truth != null && truth.containsKey(index);
                        instance(p, inDrift, current, names, keep ? kept : null);
                        if (truth != null && !keep) {
                            kept.add(null);
                        }
                        index++;
                    }
                    rowsHere = index;
                }
                case "predictions" -> {
                    if (value != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        break;
                    }
                    int index = 0;
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        Object predicted = prediction(p);
                        if (predicted != null) {
                            String label = predicted instanceof Double v ? Double.toString(v) : (String) predicted;
                            if (inDrift && predicted instanceof Double v) {
                                current.predictionValue(v);
                            } else if (inDrift) {
                                current.prediction(label);
                            }
                            String actual = truth == null ? null : truth.get(index);
                            if (actual != null && kept != null && index < kept.size() && kept.get(index) != null) {
                                if (result.labelled.size() < maxLabelled) {
                                    result.labelled.add(new LabelledRow(requestId, index, version, kept.get(index),
                                            label, actual));
                                } else {
                                    result.labelledDropped++;
                                }
                            }
                        }
                        index++;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (inDrift && rowsHere > 0) {
            result.rows += rowsHere;
        }
    }

    /** One instance object: its values to the window (when in the drift window), and kept when labelled. */
    private static void instance(JsonParser p, boolean inDrift, CurrentWindow current, Names names,
                                 List<Map<String, Object>> kept) throws IOException {
        if (inDrift) {
            current.row();
        }
        Map<String, Object> values = kept == null ? null : new LinkedHashMap<>();
        int position = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            int i = inDrift ? names.index(position++, name) : -1;
            switch (t) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    if (i >= 0) {
                        if (current.isNumeric(i)) {
                            current.number(i, p.getDoubleValue());
                        } else {
                            current.text(i, p.getText());
                        }
                    }
                    if (values != null) {
                        values.put(name, p.getNumberValue());
                    }
                }
                case VALUE_STRING, VALUE_TRUE, VALUE_FALSE -> {
                    if (i >= 0) {
                        current.text(i, p.getText());
                    }
                    if (values != null) {
                        values.put(name, p.getText());
                    }
                }
                case VALUE_NULL -> {
                    if (values != null) {
                        values.put(name, null);
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (kept != null) {
            kept.add(values);
        }
    }

    /**
     * What one prediction object predicted: its {@code label} (a classification), else its {@code value} (a
     * regression, as a Double); null when it has neither. The parser ends on its END_OBJECT.
     */
    private static Object prediction(JsonParser p) throws IOException {
        String label = null;
        Double value = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("label") && t == JsonToken.VALUE_STRING) {
                label = p.getText();
            } else if (name.equals("value") && (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT)) {
                value = p.getDoubleValue();
            } else {
                p.skipChildren();
            }
        }
        return label != null ? label : value;
    }
}

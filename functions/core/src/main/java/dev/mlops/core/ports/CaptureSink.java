package dev.mlops.core.ports;

import dev.mlops.core.model.Prediction;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Where captured requests and responses go, for drift checks. A capture failure never fails a prediction. */
public interface CaptureSink {

    /**
     * One captured request with the predictions it got.
     *
     * @param modelVersion the version that answered
     * @param shadow       during a rollout: the other version's answer to the same instances, scored off the request
     *                     path (or why it has none); null otherwise
     */
    record CapturedRequest(String requestId, String model, int modelVersion, Instant timestamp,
                           List<Map<String, Object>> instances, List<Prediction> predictions, Shadow shadow) {

        /** A request answered outside a rollout. */
        public CapturedRequest(String requestId, String model, int modelVersion, Instant timestamp,
                               List<Map<String, Object>> instances, List<Prediction> predictions) {
            this(requestId, model, modelVersion, timestamp, instances, predictions, null);
        }

        /** The same request with the other version's answer. */
        public CapturedRequest withShadow(Shadow other) {
            return new CapturedRequest(requestId, model, modelVersion, timestamp, instances, predictions, other);
        }
    }

    /**
     * The other version's answer to a captured request during a rollout: the challenger's when production answered
     * (shadow, or a canary request it was given and failed), production's when the challenger answered (canary).
     *
     * @param modelVersion the version
     * @param predictions  its predictions, one per instance (null when it failed)
     * @param error        why it has none: it could not be loaded, or could not score the instances (null when it did)
     */
    record Shadow(int modelVersion, List<Prediction> predictions, String error) {
    }

    void capture(CapturedRequest request);

    /**
     * Captures a rollout's request with the other version's answer, which {@code shadow} scores. This default scores
     * it here, on the calling thread (tests, tools); a sink with a writer thread of its own scores it there, so the
     * caller never waits for the other version ({@code BackgroundCapture}).
     *
     * @param shadow scores the other version on the request's instances; it never throws (a failure is its error)
     */
    default void captureWithShadow(CapturedRequest request, Function<CapturedRequest, Shadow> shadow) {
        capture(request.withShadow(shadow.apply(request)));
    }

    /** A sink that keeps nothing. */
    CaptureSink NONE = request -> { };
}

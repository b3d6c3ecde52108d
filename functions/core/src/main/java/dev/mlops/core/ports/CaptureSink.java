package dev.mlops.core.ports;

import dev.mlops.core.model.Prediction;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Where captured requests and responses go, for drift checks. A capture failure never fails a prediction. */
public interface CaptureSink {

    /** One captured request with the predictions it got. */
    record CapturedRequest(String requestId, String model, int modelVersion, Instant timestamp,
                           List<Map<String, Object>> instances, List<Prediction> predictions) {
    }

    void capture(CapturedRequest request);

    /** A sink that keeps nothing. */
    CaptureSink NONE = request -> { };
}

package dev.mlops.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * Input of the registry function. {@code action} selects the step: {@code register} (best candidate
 * becomes a new model version, blessed or not), {@code promote} (move the production alias) or
 * {@code record_failure} (the state machine caught an error). Fields not used by an action are null.
 */
public record RegistryTask(String action, String runId, String dataset, String datasetVersion, String model,
                           String label, SourceObject source, List<TrainedCandidate> candidates, Integer version,
                           Map<String, String> failure) {

    public static final String REGISTER = "register";
    public static final String PROMOTE = "promote";
    public static final String RECORD_FAILURE = "record_failure";
}

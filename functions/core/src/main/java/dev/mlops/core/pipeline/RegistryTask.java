package dev.mlops.core.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mlops.core.errors.ContractException;

import java.util.List;
import java.util.Map;

/**
 * Input of the registry function: one action, named by the field {@code action}, each with its
 * own required fields. Every action acts only on the run it names, and only in the state the
 * pipeline would have left it: a replayed or hand-written event can never rewrite a finished run.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RegistryTask.Register.class, name = "register"),
        @JsonSubTypes.Type(value = RegistryTask.Promote.class, name = "promote"),
        @JsonSubTypes.Type(value = RegistryTask.RecordFailure.class, name = "record_failure"),
        @JsonSubTypes.Type(value = RegistryTask.RetryRun.class, name = "retry_run")})
public sealed interface RegistryTask {

    /** The run the action belongs to. */
    String runId();

    /**
     * Register the best candidate of a RUNNING run as the next version of its model, blessed or
     * not against the current champion.
     */
    record Register(String runId, String dataset, String datasetVersion, String model, String label,
                    SourceObject source, List<TrainedCandidate> candidates, BlessingPolicy blessing)
            implements RegistryTask {
        public Register {
            ContractException.required(runId, "run_id");
            ContractException.required(dataset, "dataset");
            ContractException.required(datasetVersion, "dataset_version");
            ContractException.required(model, "model");
            ContractException.required(label, "label");
            ContractException.required(source, "source");
            ContractException.required(candidates, "candidates");
            candidates = List.copyOf(candidates);
            blessing = blessing == null ? BlessingPolicy.defaults() : blessing;
        }
    }

    /**
     * Point production at {@code version}, registered and blessed by this RUNNING run, if
     * production still is {@code expectedChampion}: the champion the version was blessed against
     * (null: there was none). Present even when null, so a forgotten field is an error.
     */
    record Promote(String runId, String model, @JsonProperty(required = true) int version,
                   @JsonProperty(required = true) Integer expectedChampion) implements RegistryTask {
        public Promote {
            ContractException.required(runId, "run_id");
            ContractException.required(model, "model");
        }
    }

    /** End a RUNNING run as FAILED with the error the state machine caught ({@code Error}, {@code Cause}). */
    record RecordFailure(String runId, String model, Map<String, String> failure) implements RegistryTask {
        public RecordFailure {
            ContractException.required(runId, "run_id");
            ContractException.required(failure, "failure");
            failure = Map.copyOf(failure);
        }
    }

    /** Start a new attempt of a FAILED run, with its own execution name, linked to the run it retries. */
    record RetryRun(String runId) implements RegistryTask {
        public RetryRun {
            ContractException.required(runId, "run_id");
        }
    }
}

package dev.mlops.core.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;

/** A read-only question to the registry ({@link RegistryQueries} answers it). */
public sealed interface RegistryQuery extends RegistryRequest {

    /** Every model: versions, production, what waits for approval. */
    record ListModels() implements RegistryQuery {
    }

    /** One model with all its versions, or one version in full ({@code version} given). */
    record ShowModel(String model, Integer version) implements RegistryQuery {
        public ShowModel {
            ContractException.required(model, "model");
        }
    }

    /** A model's audit trail: who or what, when, from which version to which, why. */
    record History(String model) implements RegistryQuery {
        public History {
            ContractException.required(model, "model");
        }
    }

    /** What a version was made from: dataset version, validation, profile, schema, run, candidate, artifact. */
    record ModelLineage(String model, @JsonProperty(required = true) int version) implements RegistryQuery {
        public ModelLineage {
            ContractException.required(model, "model");
        }
    }

    /** Every model version trained on a dataset version. */
    record DatasetLineage(String dataset, String version) implements RegistryQuery {
        public DatasetLineage {
            ContractException.required(dataset, "dataset");
            ContractException.required(version, "version");
        }
    }

    /** A model's rollout: the one under way (or the last that ended), the last check's decision and evidence. */
    record ShowRollout(String model) implements RegistryQuery {
        public ShowRollout {
            ContractException.required(model, "model");
        }
    }
}

package dev.mlops.core.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.mlops.core.errors.ContractException;

import java.util.Set;

/**
 * What a person (or a script) asks of the registry function, named by the field {@code action}:
 * the read-only questions ({@code list_models}, {@code show_model}, {@code model_history},
 * {@code model_lineage}, {@code dataset_lineage}) and the changes ({@code promote_model},
 * {@code rollback_model}, {@code approve_version}, {@code reject_version}, {@code tag_version}).
 * Every change names its {@code actor}, which the audit trail and the change event record.
 * The pipeline's own steps are {@link dev.mlops.core.pipeline.RegistryTask}s.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RegistryOperation.ListModels.class, name = "list_models"),
        @JsonSubTypes.Type(value = RegistryOperation.ShowModel.class, name = "show_model"),
        @JsonSubTypes.Type(value = RegistryOperation.History.class, name = "model_history"),
        @JsonSubTypes.Type(value = RegistryOperation.Promote.class, name = "promote_model"),
        @JsonSubTypes.Type(value = RegistryOperation.Rollback.class, name = "rollback_model"),
        @JsonSubTypes.Type(value = RegistryOperation.Approve.class, name = "approve_version"),
        @JsonSubTypes.Type(value = RegistryOperation.Reject.class, name = "reject_version"),
        @JsonSubTypes.Type(value = RegistryOperation.Tag.class, name = "tag_version"),
        @JsonSubTypes.Type(value = RegistryOperation.ModelLineage.class, name = "model_lineage"),
        @JsonSubTypes.Type(value = RegistryOperation.DatasetLineage.class, name = "dataset_lineage")})
public sealed interface RegistryOperation {

    /** The {@code action} names of the operations, so a handler can tell them from pipeline tasks. */
    Set<String> ACTIONS = Set.of("list_models", "show_model", "model_history", "promote_model", "rollback_model",
            "approve_version", "reject_version", "tag_version", "model_lineage", "dataset_lineage");

    /** Every model: versions, production, what waits for approval. */
    record ListModels() implements RegistryOperation {
    }

    /** One model with all its versions, or one version in full ({@code version} given). */
    record ShowModel(String model, Integer version) implements RegistryOperation {
        public ShowModel {
            ContractException.required(model, "model");
        }
    }

    /** A model's audit trail: who or what, when, from which version to which, why. */
    record History(String model) implements RegistryOperation {
        public History {
            ContractException.required(model, "model");
        }
    }

    /**
     * Point production at {@code version}, if production still is {@code expectedProduction} (when
     * given; else whatever production is when the request is read). Only a blessed version that is
     * not rejected, unless {@code force} with a {@code reason}.
     */
    record Promote(String model, @JsonProperty(required = true) int version, Integer expectedProduction,
                   String actor, String reason, Boolean force) implements RegistryOperation {
        public Promote {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
            force = Boolean.TRUE.equals(force);
        }
    }

    /**
     * Point production back at {@code to}, or (null) at the version that served before the current
     * one; same rules as a promotion.
     */
    record Rollback(String model, Integer to, String actor, String reason, Boolean force) implements RegistryOperation {
        public Rollback {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
            force = Boolean.TRUE.equals(force);
        }
    }

    /** Approve a PENDING_APPROVAL version: it is promoted from the champion it was blessed against. */
    record Approve(String model, @JsonProperty(required = true) int version, String actor, String reason)
            implements RegistryOperation {
        public Approve {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
        }
    }

    /** Reject a PENDING_APPROVAL version, with the reason: it never serves without {@code --force}. */
    record Reject(String model, @JsonProperty(required = true) int version, String actor, String reason)
            implements RegistryOperation {
        public Reject {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
            ContractException.required(reason, "reason");
        }
    }

    /** Set one tag of a version. */
    record Tag(String model, @JsonProperty(required = true) int version, String key, String value, String actor)
            implements RegistryOperation {
        public Tag {
            ContractException.required(model, "model");
            ContractException.required(key, "key");
            ContractException.required(value, "value");
            ContractException.required(actor, "actor");
        }
    }

    /** What a version was made from: dataset version, validation, profile, schema, run, candidate, artifact. */
    record ModelLineage(String model, @JsonProperty(required = true) int version) implements RegistryOperation {
        public ModelLineage {
            ContractException.required(model, "model");
        }
    }

    /** Every model version trained on a dataset version. */
    record DatasetLineage(String dataset, String version) implements RegistryOperation {
        public DatasetLineage {
            ContractException.required(dataset, "dataset");
            ContractException.required(version, "version");
        }
    }
}

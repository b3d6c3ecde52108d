package dev.mlops.core.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.core.errors.ContractException;

/**
 * A change to the registry ({@link RegistryCommands} makes it). Every change names its {@code actor}, which the
 * audit trail and the change event record.
 */
public sealed interface RegistryCommand extends RegistryRequest {

    /**
     * Point production at {@code version}, if production still is {@code expectedProduction} (when
     * given; else whatever production is when the request is read). Only a blessed version that is
     * not rejected, unless {@code force} with a {@code reason}.
     */
    record Promote(String model, @JsonProperty(required = true) int version, Integer expectedProduction,
                   String actor, String reason, Boolean force) implements RegistryCommand {
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
    record Rollback(String model, Integer to, String actor, String reason, Boolean force) implements RegistryCommand {
        public Rollback {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
            force = Boolean.TRUE.equals(force);
        }
    }

    /** Approve a PENDING_APPROVAL version: it is promoted from the champion it was blessed against. */
    record Approve(String model, @JsonProperty(required = true) int version, String actor, String reason)
            implements RegistryCommand {
        public Approve {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
        }
    }

    /** Reject a PENDING_APPROVAL version, with the reason: it never serves without {@code --force}. */
    record Reject(String model, @JsonProperty(required = true) int version, String actor, String reason)
            implements RegistryCommand {
        public Reject {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
            ContractException.required(reason, "reason");
        }
    }

    /** Set one tag of a version. */
    record Tag(String model, @JsonProperty(required = true) int version, String key, String value, String actor)
            implements RegistryCommand {
        public Tag {
            ContractException.required(model, "model");
            ContractException.required(key, "key");
            ContractException.required(value, "value");
            ContractException.required(actor, "actor");
        }
    }

    /**
     * Start a rollout of {@code version} beside production (it must still be {@code expectedProduction}, when given):
     * the rollout policy of its dataset's config, with another {@code strategy} ({@code shadow} or {@code canary})
     * or starting {@code share} when given. Only a blessed version that is not rejected, unless {@code force} with a
     * {@code reason}.
     */
    record StartRollout(String model, @JsonProperty(required = true) int version, String strategy, Double share,
                        Integer expectedProduction, String actor, String reason, Boolean force)
            implements RegistryCommand {
        public StartRollout {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
            force = Boolean.TRUE.equals(force);
            if (share != null && !(share > 0 && share <= 1)) {
                throw new ContractException("field \"share\": must be above 0 and at most 1, got " + share);
            }
        }
    }

    /** Abort the model's rollout (only if its challenger still is {@code challenger}, when given). */
    record AbortRollout(String model, Integer challenger, String actor, String reason) implements RegistryCommand {
        public AbortRollout {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
        }
    }

    /**
     * Promote the rollout's challenger now, whatever its evidence says (only if it still is {@code challenger}, when
     * given): production moves to it from the production it was compared with.
     */
    record PromoteRollout(String model, Integer challenger, String actor, String reason) implements RegistryCommand {
        public PromoteRollout {
            ContractException.required(model, "model");
            ContractException.required(actor, "actor");
        }
    }
}

package dev.mlops.core.registry;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Set;

/**
 * What a person (or a script) asks of the registry function, named by the field {@code action}: a
 * {@link RegistryQuery} (a read-only question: {@code list_models}, {@code show_model}, {@code model_history},
 * {@code model_lineage}, {@code dataset_lineage}, {@code show_rollout}) or a {@link RegistryCommand} (a change:
 * {@code promote_model}, {@code rollback_model}, {@code approve_version}, {@code reject_version}, {@code tag_version},
 * {@code start_rollout}, {@code abort_rollout}, {@code promote_rollout}).
 * The pipeline's own steps are {@link dev.mlops.core.pipeline.RegistryTask}s.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "action")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RegistryQuery.ListModels.class, name = "list_models"),
        @JsonSubTypes.Type(value = RegistryQuery.ShowModel.class, name = "show_model"),
        @JsonSubTypes.Type(value = RegistryQuery.History.class, name = "model_history"),
        @JsonSubTypes.Type(value = RegistryCommand.Promote.class, name = "promote_model"),
        @JsonSubTypes.Type(value = RegistryCommand.Rollback.class, name = "rollback_model"),
        @JsonSubTypes.Type(value = RegistryCommand.Approve.class, name = "approve_version"),
        @JsonSubTypes.Type(value = RegistryCommand.Reject.class, name = "reject_version"),
        @JsonSubTypes.Type(value = RegistryCommand.Tag.class, name = "tag_version"),
        @JsonSubTypes.Type(value = RegistryQuery.ModelLineage.class, name = "model_lineage"),
        @JsonSubTypes.Type(value = RegistryQuery.DatasetLineage.class, name = "dataset_lineage"),
        @JsonSubTypes.Type(value = RegistryQuery.ShowRollout.class, name = "show_rollout"),
        @JsonSubTypes.Type(value = RegistryCommand.StartRollout.class, name = "start_rollout"),
        @JsonSubTypes.Type(value = RegistryCommand.AbortRollout.class, name = "abort_rollout"),
        @JsonSubTypes.Type(value = RegistryCommand.PromoteRollout.class, name = "promote_rollout")})
public sealed interface RegistryRequest permits RegistryQuery, RegistryCommand {

    /** The {@code action} names of the requests, so a handler can tell them from pipeline tasks. */
    Set<String> ACTIONS = Set.of("list_models", "show_model", "model_history", "promote_model", "rollback_model",
            "approve_version", "reject_version", "tag_version", "model_lineage", "dataset_lineage", "show_rollout",
            "start_rollout", "abort_rollout", "promote_rollout");
}

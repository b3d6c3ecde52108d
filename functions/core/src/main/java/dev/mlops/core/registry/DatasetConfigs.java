package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.pipeline.ApprovalPolicy;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.RolloutPolicy;
import dev.mlops.core.ports.ObjectStore;

/**
 * The governance settings in force for a model: the {@code approval} and {@code rollout} sections of the config of
 * the dataset its version was trained on ({@code schemas/<dataset>/config.json}), read when they are needed, so
 * that switching a model to {@code manual} approval or to a {@code canary} rollout applies to the next promotion.
 */
final class DatasetConfigs {

    private DatasetConfigs() {
    }

    /** The approval policy; see {@link #of}. */
    static ApprovalPolicy approval(ObjectStore store, String dataset) {
        return of(store, dataset).approval();
    }

    /** The rollout policy; see {@link #of}. */
    static RolloutPolicy rollout(ObjectStore store, String dataset) {
        return of(store, dataset).rollout();
    }

    /**
     * @throws ContractException naming the file when the config exists but cannot be read: nothing is
     *         promoted on a policy nobody can read
     */
    static PipelineConfig of(ObjectStore store, String dataset) {
        if (dataset == null) {
            return PipelineConfig.defaults();
        }
        try {
            return store.findJson(Layout.config(dataset), PipelineConfig.class).orElse(PipelineConfig.defaults());
        } catch (ContractException e) {
            throw new ContractException(Layout.config(dataset) + ": " + e.getMessage());
        }
    }
}

package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.pipeline.ApprovalPolicy;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.ports.ObjectStore;

/**
 * The approval policy in force for a model: the {@code approval} section of the config of the
 * dataset its version was trained on ({@code schemas/<dataset>/config.json}), read when it is
 * needed, so that switching a model to {@code manual} applies to the next promotion.
 */
final class ApprovalPolicies {

    private ApprovalPolicies() {
    }

    /**
     * @throws ContractException naming the file when the config exists but cannot be read: nothing is
     *         promoted on a policy nobody can read
     */
    static ApprovalPolicy of(ObjectStore store, String dataset) {
        if (dataset == null) {
            return ApprovalPolicy.defaults();
        }
        try {
            return store.findJson(Layout.config(dataset), PipelineConfig.class).orElse(PipelineConfig.defaults())
                    .approval();
        } catch (ContractException e) {
            throw new ContractException(Layout.config(dataset) + ": " + e.getMessage());
        }
    }
}

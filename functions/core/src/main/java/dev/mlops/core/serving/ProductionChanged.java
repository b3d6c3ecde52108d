package dev.mlops.core.serving;

import dev.mlops.core.errors.ContractException;

/**
 * The registry's announcement that production of a model moved (a promotion, an approval, a rollback): the
 * instance that receives it re-reads that model's production alias on its next request, instead of within the
 * alias' re-read period ({@link ServedModels}). On AWS the registry's event reaches the inference function
 * through the template's {@code ProductionChanged} rule, whose input transformer names the model.
 *
 * @param model the model whose production moved
 */
public record ProductionChanged(String model) {

    public ProductionChanged {
        ContractException.required(model, "model");
    }
}

package dev.mlops.core.registry;

import dev.mlops.core.Names;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.ports.ModelRegistry;

import java.util.List;

/**
 * The versions a person's request names: a malformed name, an unknown model or an unknown version is a
 * {@link ContractException} that says which.
 */
final class NamedVersions {

    private final ModelRegistry registry;

    NamedVersions(ModelRegistry registry) {
        this.registry = registry;
    }

    /** Every version of {@code model}, oldest first; there is at least one. */
    List<ModelVersion> all(String model) {
        require("model", model);
        List<ModelVersion> versions = registry.versions(model);
        if (versions.isEmpty()) {
            throw new ContractException("there is no model " + model);
        }
        return versions;
    }

    /** Version {@code version} of {@code model}. */
    ModelVersion find(String model, int version) {
        require("model", model);
        return registry.find(model, version).orElseThrow(() -> new ContractException(
                registry.versions(model).isEmpty() ? "there is no model " + model
                        : "model " + model + " has no version " + version));
    }

    /** {@code name} when it is a valid dataset or model name. */
    static String require(String kind, String name) {
        if (!Names.isValid(name)) {
            throw new ContractException("field \"" + kind + "\": " + kind + " name \"" + name
                    + "\" is invalid: use 1-40 characters of a-z, 0-9, '-' and '_'");
        }
        return name;
    }
}

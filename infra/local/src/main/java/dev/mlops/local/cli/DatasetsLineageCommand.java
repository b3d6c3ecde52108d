package dev.mlops.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.registry.RegistryQuery;
import dev.mlops.core.registry.RegistryRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ./mlops datasets lineage DATASET VERSION}: every model version trained on a dataset
 * version, through the registry function's {@code dataset_lineage} action.
 * A subcommand of {@link DatasetsCommand}.
 */
@Command(name = "lineage", description = {"Every model version trained on a dataset version.",
        "Exit code 1 when the dataset version is unknown."})
final class DatasetsLineageCommand extends ModelsCommand.RegistryCall {

    @Parameters(index = "0", paramLabel = "DATASET", converter = NameConverter.Dataset.class, description = "The dataset.")
    String dataset;

    @Parameters(index = "1", paramLabel = "VERSION", description = "The dataset version (its sha256).")
    String version;

    @Override
    RegistryRequest request() {
        if (!version.matches("[0-9a-f]{64}")) {
            throw usageError("VERSION is a dataset version: 64 hex characters (the sha256 of the upload), got \""
                    + version + "\"");
        }
        return new RegistryQuery.DatasetLineage(dataset, version);
    }

    @Override
    String human(JsonNode a) {
        StringBuilder s = new StringBuilder("dataset " + dataset + " " + version + " ("
                + a.path("status").asText("not recorded") + ", " + a.path("rows").asText("?") + " rows, "
                + a.path("source_key").asText("?") + ")");
        if (a.path("models").isEmpty()) {
            s.append("\n  no model version was trained on it");
        }
        for (JsonNode m : a.path("models")) {
            s.append(String.format("%n  %s v%d%s  %s%s  run %s  sha256 %s", m.path("model").asText(),
                    m.path("version").asInt(), m.path("production").asBoolean() ? " (production)" : "",
                    m.path("verdict").asText(), m.path("approval").isMissingNode() || m.path("approval").isNull() ? ""
                            : " " + m.path("approval").asText(), m.path("run_id").asText(), m.path("sha256").asText()));
        }
        return s.toString();
    }
}

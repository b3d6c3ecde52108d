package dev.mlops.local.console;

import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.DriftCheckLog;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.registry.RegistryQueries;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the console reads, all through the read side of the project's own ports: the same adapters (S3, DynamoDB)
 * the functions use, pointed at the local stack or at a deployed one.
 *
 * @param description  which stack, for the page header ({@code local stack in .mlops}, {@code stack mlops in
 *                     eu-west-1})
 * @param bucket       the data bucket's name (shown with report keys)
 * @param store        the data bucket
 * @param registry     model versions, aliases, the audit trail
 * @param runs         pipeline runs
 * @param datasets     dataset versions and uploads
 * @param driftChecks  drift check summaries
 * @param deadLetters  the uploads whose every ingest attempt failed; null where the console cannot read them
 *                     (a deployed stack keeps them in an SQS queue)
 */
public record ConsoleSources(String description, String bucket, ObjectStore store, ModelRegistry registry,
                             RunLog runs, DatasetCatalog datasets, DriftCheckLog driftChecks,
                             Supplier<List<DeadLetter>> deadLetters) {

    /** An upload in the dead-letter queue. */
    public record DeadLetter(String key, String versionId, int attempts, Instant at, String error) {
    }

    /** The registry's read-only questions, as the registry function answers them. */
    RegistryQueries queries() {
        return new RegistryQueries(store, registry, runs, datasets);
    }
}

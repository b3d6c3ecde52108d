package dev.mlops.functions.ingest;

import dev.mlops.aws.DatasetStore;
import dev.mlops.aws.DatasetStore.DatasetVersion;
import dev.mlops.aws.Metrics;
import dev.mlops.aws.PipelineStarter;
import dev.mlops.aws.RunStore;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.CsvFormatException;
import dev.mlops.core.data.CsvLimits;
import dev.mlops.core.data.CsvParser;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Problem;
import dev.mlops.core.data.Profile;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.SchemaException;
import dev.mlops.core.data.ValidationReport;
import dev.mlops.core.data.Validator;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.SourceObject;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates one uploaded object and, when it is valid, starts the training pipeline.
 *
 * <p>Safe under S3's at-least-once delivery: the dataset version is the sha256 of the content, the
 * dataset record is a conditional put, and the execution name is derived from the version, so a
 * duplicate event changes nothing. An invalid upload is never an exception (retrying cannot fix
 * it): it gets a validation report in S3, a record, a metric, and stops there.
 */
public final class Ingestion {

    /** Default label column; an upload can name another with the object metadata {@code label}. */
    public static final String DEFAULT_LABEL = "label";

    /** What happened to one record of the event. */
    public record Outcome(String key, String status, String dataset, String datasetVersion, String reason,
                          String reportKey, String runId, String executionArn) {
    }

    private final S3ObjectStore store;
    private final DatasetStore datasets;
    private final RunStore runs;
    private final PipelineStarter pipeline;
    private final Metrics metrics;

    public Ingestion(S3ObjectStore store, DatasetStore datasets, RunStore runs, PipelineStarter pipeline,
                     Metrics metrics) {
        this.store = store;
        this.datasets = datasets;
        this.runs = runs;
        this.pipeline = pipeline;
        this.metrics = metrics;
    }

    /** Ingests {@code key} (URL-decoded) of {@code bucket}. */
    public Outcome ingest(String bucket, String key, String versionId) {
        if (!store.bucket().equals(bucket)) {
            return new Outcome(key, "IGNORED", null, null, "bucket " + bucket + " is not the data bucket", null, null, null);
        }
        Layout.Upload upload;
        try {
            Optional<Layout.Upload> parsed = Layout.parseUpload(key);
            if (parsed.isEmpty()) {
                return new Outcome(key, "IGNORED", null, null, "not under " + Layout.INCOMING, null, null, null);
            }
            upload = parsed.get();
        } catch (IllegalArgumentException badKey) {
            metrics.emit("UploadsRejected", 1, "Count", Map.of("Reason", "key"));
            return new Outcome(key, "REJECTED", null, null, badKey.getMessage(), null, null, null);
        }

        long size = store.head(key, versionId).contentLength();
        if (size > CsvLimits.DEFAULT.maxBytes()) {
            // Refused before it is read: a function must not run out of memory on a hostile upload.
            metrics.emit("UploadsRejected", 1, "Count", Map.of("Reason", "size"));
            return new Outcome(key, "REJECTED", upload.dataset(), null, "upload is " + size + " bytes; the limit is "
                    + CsvLimits.DEFAULT.maxBytes(), null, null, null);
        }
        S3ObjectStore.StoredObject object = store.get(key, versionId);
        String version = Sha256.hex(object.bytes());
        String dataset = upload.dataset();
        Map<String, String> metadata = object.metadata();
        String model = metadata.getOrDefault("model", dataset);

        Checked checked = check(dataset, object.bytes(), metadata.get("label"), model);
        String reportKey = Layout.validationReport(dataset, version);
        store.putJson(reportKey, checked.report());
        String schemaKey = null;
        String profileKey = null;
        if (checked.report().valid()) {
            schemaKey = Layout.validatedSchema(dataset, version);
            store.putJson(schemaKey, checked.schema());
            if (checked.inferred()) {
                // First upload of the dataset: the inferred schema becomes the accepted one, editable by people.
                store.putJson(Layout.schema(dataset), checked.schema());
            }
            profileKey = Layout.profile(dataset, version);
            store.putJson(profileKey, Profile.of(checked.table(), checked.schema()));
        }
        String label = checked.schema() == null ? null : checked.schema().label();
        datasets.putIfAbsent(new DatasetVersion(dataset, version, checked.report().valid() ? "VALID" : "INVALID",
                checked.report().rows(), checked.report().columns(), label, key, object.versionId(), reportKey,
                profileKey, schemaKey, Instant.now().toString()));

        if (!checked.report().valid()) {
            metrics.emit("DatasetsRejected", 1, "Count", Map.of("Dataset", dataset));
            Problem first = checked.report().problems().get(0);
            return new Outcome(key, "INVALID", dataset, version, first.message(), reportKey, null, null);
        }
        metrics.emit("DatasetsAccepted", 1, "Count", Map.of("Dataset", dataset));

        String runId = RunRequest.runIdFor(dataset, version);
        RunRequest request = new RunRequest(runId, dataset, version, model, label,
                new SourceObject(bucket, key, object.versionId(), version),
                List.of(CandidateSpec.defaultLogisticRegression()));
        // The run is recorded before the execution starts, so the registry always finds it to end it.
        runs.start(runId, dataset, version, model, pipeline.executionArn(runId));
        PipelineStarter.Started started = pipeline.start(runId, Json.string(request));
        return new Outcome(key, started.duplicate() ? "DUPLICATE" : "VALID", dataset, version,
                started.duplicate() ? "this dataset version was already handed to the pipeline" : null,
                reportKey, runId, started.executionArn());
    }

    /** The outcome of the checks; {@code inferred} when no schema was accepted for the dataset yet. */
    private record Checked(ValidationReport report, Schema schema, CsvTable table, boolean inferred) {
    }

    private Checked check(String dataset, byte[] bytes, String labelFromMetadata, String model) {
        if (!Names.isValid(model)) {
            return rejected("invalid_model_name", null, "model name \"" + model
                    + "\" (object metadata) is invalid: use 1-40 characters of a-z, 0-9, '-' and '_'");
        }
        CsvTable table;
        try {
            table = CsvParser.parse(new ByteArrayInputStream(bytes), CsvLimits.DEFAULT);
        } catch (CsvFormatException e) {
            return rejected("malformed_csv", (long) e.line(), e.getMessage());
        }
        Optional<Schema> accepted = store.findJson(Layout.schema(dataset), Schema.class);
        Schema schema;
        if (accepted.isPresent()) {
            schema = accepted.get();
            if (labelFromMetadata != null && !labelFromMetadata.equals(schema.label())) {
                return rejected("label_mismatch", null, "the upload names label column \"" + labelFromMetadata
                        + "\" but the accepted schema of " + dataset + " (" + Layout.schema(dataset) + ") has \""
                        + schema.label() + "\"");
            }
        } else {
            try {
                schema = Schema.infer(table, labelFromMetadata == null ? DEFAULT_LABEL : labelFromMetadata);
            } catch (SchemaException e) {
                return rejected("schema", null, e.getMessage());
            }
        }
        return new Checked(Validator.validate(table, schema), schema, table, accepted.isEmpty());
    }

    private static Checked rejected(String code, Long line, String message) {
        return new Checked(new ValidationReport(false, 0, 0, List.of(new Problem(code, null, line, message)), 1,
                Map.of(), Map.of()), null, null, false);
    }
}

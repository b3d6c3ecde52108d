package dev.mlops.core.ingest;

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
import dev.mlops.core.domain.DatasetStatus;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.train.CandidateSearch;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates one uploaded object and, when it is valid, starts the training pipeline.
 *
 * <p>Safe under S3's at-least-once delivery: the dataset version is the sha256 of the content, the
 * dataset record is written once, the run is recorded once and the execution name is the run id,
 * so a duplicate event changes nothing (and a delivery cut off between two steps finishes them the
 * next time). An invalid upload is never an exception (retrying cannot fix it): it gets a
 * validation report, a record, a metric, and stops there.
 */
public final class IngestionService {

    /** Default label column; an upload can name another with the object metadata {@code label}. */
    public static final String DEFAULT_LABEL = "label";

    /** What happened to one upload. */
    public enum Status {
        /** Valid: the pipeline was started. */
        VALID,
        /** Read but invalid: a report says why. */
        INVALID,
        /** Not read at all: wrong key, too big, gone. */
        REJECTED,
        /** This dataset version was handed to the pipeline before. */
        DUPLICATE,
        /** Not an upload (another bucket or prefix). */
        IGNORED
    }

    /** What happened to one record of the event. */
    public record Outcome(String key, Status status, String dataset, String datasetVersion, String reason,
                          String reportKey, String runId, String executionArn) {
    }

    private final ObjectStore store;
    private final DatasetCatalog datasets;
    private final RunLog runs;
    private final PipelineLauncher launcher;
    private final MetricsSink metrics;
    private final Clock clock;

    public IngestionService(ObjectStore store, DatasetCatalog datasets, RunLog runs, PipelineLauncher launcher,
                            MetricsSink metrics, Clock clock) {
        this.store = store;
        this.datasets = datasets;
        this.runs = runs;
        this.launcher = launcher;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Ingests {@code key} (URL-decoded) of {@code bucket} at {@code versionId} (null: the latest). */
    public Outcome ingest(String bucket, String key, String eventVersionId) {
        // Events without versioning (or hand-written ones) carry no or an empty version id: the latest.
        String versionId = eventVersionId == null || eventVersionId.isBlank() ? null : eventVersionId;
        if (!store.bucket().equals(bucket)) {
            return new Outcome(key, Status.IGNORED, null, null, "bucket " + bucket + " is not the data bucket", null,
                    null, null);
        }
        Layout.Upload upload;
        try {
            Optional<Layout.Upload> parsed = Layout.parseUpload(key);
            if (parsed.isEmpty()) {
                return new Outcome(key, Status.IGNORED, null, null, "not under " + Layout.INCOMING, null, null, null);
            }
            upload = parsed.get();
        } catch (IllegalArgumentException badKey) {
            return rejected(key, null, "key", badKey.getMessage());
        }
        String dataset = upload.dataset();
        Optional<ObjectStore.ObjectInfo> head = store.head(key, versionId);
        if (head.isEmpty()) {
            return rejected(key, dataset, "missing", "s3://" + bucket + "/" + key
                    + (versionId == null ? "" : " version " + versionId) + " does not exist (deleted before it was read?)");
        }
        if (head.get().size() > CsvLimits.DEFAULT.maxBytes()) {
            // Refused before it is read: a function must not run out of memory on a hostile upload.
            return rejected(key, dataset, "size", "upload is " + head.get().size() + " bytes; the limit is "
                    + CsvLimits.DEFAULT.maxBytes());
        }
        Optional<ObjectStore.StoredObject> read = store.find(key, versionId);
        if (read.isEmpty()) {
            return rejected(key, dataset, "missing", "s3://" + bucket + "/" + key + " disappeared while it was read");
        }
        ObjectStore.StoredObject object = read.get();
        String version = Sha256.hex(object.bytes());
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
        boolean first = datasets.record(new DatasetVersion(dataset, version,
                checked.report().valid() ? DatasetStatus.VALID : DatasetStatus.INVALID, checked.report().rows(),
                checked.report().columns(), label, key, object.versionId(), reportKey, profileKey, schemaKey,
                clock.instant()));

        if (!checked.report().valid()) {
            if (first) {
                metrics.count("DatasetsRejected", 1, Map.of("Dataset", dataset));
            }
            Problem problem = checked.report().problems().get(0);
            return new Outcome(key, Status.INVALID, dataset, version, problem.message(), reportKey, null, null);
        }
        if (first) {
            metrics.count("DatasetsAccepted", 1, Map.of("Dataset", dataset));
        }

        String runId = RunRequest.runIdFor(dataset, version);
        RunRequest request = new RunRequest(runId, dataset, version, model, label,
                new SourceObject(bucket, key, object.versionId(), version),
                CandidateSearch.expand(checked.config().training(), checked.report().labelCounts()),
                checked.config().blessing());
        // The run is recorded before the execution starts, so the registry always finds it to end it. A
        // redelivered event finds the run recorded, and starting the execution again is a no-op (or
        // finishes what a crash between the two steps left undone).
        boolean newRun = runs.start(Run.started(request, launcher.executionIdFor(runId), 1, null, clock.instant()));
        PipelineLauncher.Launch launch = launcher.start(request);
        if (newRun) {
            return new Outcome(key, Status.VALID, dataset, version, null, reportKey, runId, launch.executionId());
        }
        String reason = runs.find(runId)
                .filter(r -> r.status().retryable())
                .map(r -> "this dataset version was handed to the pipeline before, and run " + runId + " " + r.status()
                        + ": retry it with ./mlops runs retry " + runId)
                .orElse("this dataset version was already handed to the pipeline");
        return new Outcome(key, Status.DUPLICATE, dataset, version, reason, reportKey, runId, launch.executionId());
    }

    private Outcome rejected(String key, String dataset, String reason, String message) {
        metrics.count("UploadsRejected", 1, Map.of("Reason", reason));
        return new Outcome(key, Status.REJECTED, dataset, null, message, null, null, null);
    }

    /** The outcome of the checks; {@code inferred} when no schema was accepted for the dataset yet. */
    private record Checked(ValidationReport report, Schema schema, CsvTable table, boolean inferred,
                           PipelineConfig config) {
    }

    private Checked check(String dataset, byte[] bytes, String labelFromMetadata, String model) {
        if (!Names.isValid(model)) {
            return problem("invalid_model_name", null, "model name \"" + model
                    + "\" (object metadata) is invalid: use 1-40 characters of a-z, 0-9, '-' and '_'");
        }
        PipelineConfig config;
        try {
            config = store.findJson(Layout.config(dataset), PipelineConfig.class).orElse(PipelineConfig.defaults());
        } catch (ContractException e) {
            return problem("config", null, Layout.config(dataset) + ": " + e.getMessage());
        }
        CsvTable table;
        try {
            table = CsvParser.parse(new ByteArrayInputStream(bytes), CsvLimits.DEFAULT);
        } catch (CsvFormatException e) {
            return problem("malformed_csv", (long) e.line(), e.getMessage());
        }
        Optional<Schema> accepted;
        try {
            accepted = store.findJson(Layout.schema(dataset), Schema.class);
        } catch (ContractException e) {
            return problem("schema", null, Layout.schema(dataset) + ": " + e.getMessage());
        }
        Schema schema;
        if (accepted.isPresent()) {
            schema = accepted.get();
            if (labelFromMetadata != null && !labelFromMetadata.equals(schema.label())) {
                return problem("label_mismatch", null, "the upload names label column \"" + labelFromMetadata
                        + "\" but the accepted schema of " + dataset + " (" + Layout.schema(dataset) + ") has \""
                        + schema.label() + "\"");
            }
        } else {
            try {
                schema = Schema.infer(table, labelFromMetadata == null ? DEFAULT_LABEL : labelFromMetadata);
            } catch (SchemaException e) {
                return problem("schema", null, e.getMessage());
            }
        }
        return new Checked(Validator.validate(table, schema), schema, table, accepted.isEmpty(), config);
    }

    private static Checked problem(String code, Long line, String message) {
        return new Checked(new ValidationReport(false, 0, 0, List.of(new Problem(code, null, line, message)), 1,
                Map.of(), Map.of()), null, null, false, null);
    }
}

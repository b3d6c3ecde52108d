package dev.mlops.core.ingest;

import dev.mlops.core.pipeline.PartedUpload;
import dev.mlops.core.model.task.Task;
import dev.mlops.core.Layout;
import dev.mlops.core.Names;
import dev.mlops.core.data.Anomaly;
import dev.mlops.core.data.AnomalyKind;
import dev.mlops.core.data.CsvStream;
import dev.mlops.core.data.CsvParts;
import dev.mlops.core.data.DatasetReport;
import dev.mlops.core.data.DatasetScan;
import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.data.ParallelScanner;
import dev.mlops.core.data.ValidationReportHtml;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Severity;
import dev.mlops.core.domain.DatasetStatus;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.pipeline.PipelineConfig;
import dev.mlops.core.pipeline.RunCause;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.ports.DatasetCatalog;
import dev.mlops.core.ports.MetricsSink;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.PipelineLauncher;
import dev.mlops.core.ports.RunLog;
import dev.mlops.core.ports.ValidationLauncher;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.Json;
import dev.mlops.core.search.CandidateSearch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Validates one uploaded object and, when it is valid, starts the training pipeline.
 *
 * <p>The object is read once, as a stream ({@link DatasetScanner}): hashed, parsed, validated and profiled in
 * the same pass, in memory that does not grow with the file; a large object in parts by byte ranges on every core
 * ({@link ParallelScanner}), with the same result. An upload larger than
 * {@link #maxUploadBytes()} is refused before it is read, with a report that says so. An upload larger than
 * {@link InParts#inlineBytes()} is validated in parts instead: planned here, scanned by the validation state
 * machine's Distributed Map and concluded by {@link #concludeInParts} with the outcome one pass would have
 * ({@link UploadParts}).
 *
 * <p>Safe under S3's at-least-once delivery: the dataset version is the sha256 of the content, the
 * dataset record is written once, the run is recorded once and the execution name is the run id,
 * so a duplicate event changes nothing (and a delivery cut off between two steps finishes them the
 * next time). An invalid upload is never an exception (retrying cannot fix it): it gets a
 * validation report, a record, a metric, and stops there. A first upload becomes the dataset's
 * accepted schema only when it is valid, so an upload that cannot train never sets the rules for the next.
 *
 * <p>Every upload ends in a recorded outcome ({@link UploadOutcome}, keyed by the object's key and S3 version id):
 * VALID, INVALID, REJECTED with the reason, DUPLICATE naming the run, model and version the same bytes made
 * earlier, or, when delivery attempts fail, RETRYING and at the last one FAILED_DELIVERY
 * ({@link #deliveryFailed}). A redelivered event of the same upload concludes the same outcome again and changes
 * nothing.
 */
public final class IngestionService {

    /** Default label column; an upload can name another with the object metadata {@code label}. */
    public static final String DEFAULT_LABEL = "label";

    /**
     * Largest upload read when no other limit is configured: 4 GiB. The pass streams, so memory does not
     * bound it; time does (BENCHMARKS.md: the ingest function's throughput at its memory setting, against its
     * timeout).
     */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 4L * 1024 * 1024 * 1024;

    /**
     * The largest upload read in one pass when it is validated in parts and the parts cannot give one pass's
     * answer: what one pass reads within a function's 15 minutes (BENCHMARKS.md, "Ingest: one pass, flat memory").
     */
    public static final long ONE_PASS_BYTES = 4L * 1024 * 1024 * 1024;

    /**
     * Object metadata of an upload that asks for validation in parts of this many bytes ({@code x-amz-meta-part-bytes},
     * as batch scoring's): an upload larger than that is validated in parts even under the threshold.
     */
    public static final String PART_BYTES = "part-bytes";

    /** The most parts an upload is cut into: a smaller part size asked for is raised to keep to it. */
    public static final int MAX_PARTS = 10_000;

    /** What happened to one upload. */
    public enum Status {
        /** Valid: the pipeline was started. */
        VALID,
        /** Read but invalid: a report says why. */
        INVALID,
        /** Not read at all: wrong key, too big, gone. */
        REJECTED,
        /** Too large for one pass: being validated in parts (a Distributed Map); the merge concludes it. */
        VALIDATING,
        /** This dataset version was handed to the pipeline before. */
        DUPLICATE,
        /** Not an upload (another bucket or prefix). */
        IGNORED
    }

    /** What happened to one record of the event. */
    public record Outcome(String key, Status status, String dataset, String datasetVersion, String reason,
                          String reportKey, String runId, String executionArn, String reportHtmlKey) {

        /** An outcome without a report page. */
        public Outcome(String key, Status status, String dataset, String datasetVersion, String reason,
                       String reportKey, String runId, String executionArn) {
            this(key, status, dataset, datasetVersion, reason, reportKey, runId, executionArn, null);
        }

        /** Not an upload at all (another bucket or prefix). */
        static Outcome ignored(String key, String reason) {
            return new Outcome(key, Status.IGNORED, null, null, reason, null, null, null);
        }

        /** Not read: a key the pipeline cannot take, an object too big or gone; the report, if one was written. */
        static Outcome rejected(String key, String dataset, String reason, String reportKey) {
            return new Outcome(key, Status.REJECTED, dataset, null, reason, reportKey, null, null);
        }

        /** Read and invalid: the first problem, and the reports. */
        static Outcome invalid(String key, Published published, String reason) {
            return new Outcome(key, Status.INVALID, published.dataset(), published.version(), reason,
                    published.reportKey(), null, null, published.reportHtmlKey());
        }

        /** Too large for one pass: validated in parts by the execution named. */
        static Outcome validating(String key, String dataset, int parts, String executionArn) {
            return new Outcome(key, Status.VALIDATING, dataset, null, "validated in " + parts + " parts by "
                    + executionArn, null, null, executionArn);
        }

        /** Read and valid: the run it started (or, for a redelivered event, the run it started before). */
        static Outcome valid(String key, Published published, String runId, String executionArn) {
            return new Outcome(key, Status.VALID, published.dataset(), published.version(), null,
                    published.reportKey(), runId, executionArn, published.reportHtmlKey());
        }

        /** The same bytes came through another upload: the run they made, and why nothing more happens. */
        static Outcome duplicate(String key, Published published, String reason, Run run) {
            return new Outcome(key, Status.DUPLICATE, published.dataset(), published.version(), reason,
                    published.reportKey(), run.runId(), run.executionId(), published.reportHtmlKey());
        }
    }

    private final ObjectStore store;
    private final DatasetCatalog datasets;
    private final RunLog runs;
    private final PipelineLauncher launcher;
    private final MetricsSink metrics;
    private final Clock clock;
    private final long maxUploadBytes;
    private final InParts inParts;
    private final ValidationLauncher validations;

    /**
     * When an upload is validated in parts rather than in one pass (template.yaml: the ingest function's
     * INLINE_VALIDATION_BYTES, VALIDATION_PART_BYTES and VALIDATION_MAX_CONCURRENCY).
     *
     * @param inlineBytes    the largest upload validated in one pass by the function the event invoked; larger
     *                       ones go to the validation state machine, a Distributed Map over parts
     * @param partBytes      bytes a part aims at
     * @param maxConcurrency parts scanned at once
     */
    public record InParts(long inlineBytes, long partBytes, int maxConcurrency) {
        public InParts {
            if (inlineBytes < 1 || partBytes < 1 || maxConcurrency < 1) {
                throw new IllegalArgumentException("validation in parts needs positive settings, got " + inlineBytes
                        + " bytes in one pass, " + partBytes + " bytes per part, " + maxConcurrency + " parts at once");
            }
        }
    }

    public IngestionService(ObjectStore store, DatasetCatalog datasets, RunLog runs, PipelineLauncher launcher,
                            MetricsSink metrics, Clock clock) {
        this(store, datasets, runs, launcher, metrics, clock, DEFAULT_MAX_UPLOAD_BYTES);
    }

    /** With another upload size limit (the function's {@code MAX_UPLOAD_BYTES}), every upload in one pass. */
    public IngestionService(ObjectStore store, DatasetCatalog datasets, RunLog runs, PipelineLauncher launcher,
                            MetricsSink metrics, Clock clock, long maxUploadBytes) {
        this(store, datasets, runs, launcher, metrics, clock, maxUploadBytes, null, null);
    }

    /**
     * With an upload size limit, and uploads over {@code inParts.inlineBytes()} handed to {@code validations}
     * (null, null: every upload in one pass).
     */
    public IngestionService(ObjectStore store, DatasetCatalog datasets, RunLog runs, PipelineLauncher launcher,
                            MetricsSink metrics, Clock clock, long maxUploadBytes, InParts inParts,
                            ValidationLauncher validations) {
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("the upload size limit must be positive, got " + maxUploadBytes);
        }
        if ((inParts == null) != (validations == null)) {
            throw new IllegalArgumentException("validation in parts needs both its settings and its launcher");
        }
        this.inParts = inParts;
        this.validations = validations;
        this.store = store;
        this.datasets = datasets;
        this.runs = runs;
        this.launcher = launcher;
        this.metrics = metrics;
        this.clock = clock;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** The largest upload this service reads. */
    public long maxUploadBytes() {
        return maxUploadBytes;
    }

    /**
     * Ingests {@code key} (URL-decoded) of {@code bucket} at {@code versionId} (null: the latest), and records the
     * outcome of the upload (anything but IGNORED).
     */
    public Outcome ingest(String bucket, String key, String eventVersionId) {
        // Events without versioning (or hand-written ones) carry no or an empty version id: the latest.
        String requested = eventVersionId == null || eventVersionId.isBlank() ? null : eventVersionId;
        if (!store.bucket().equals(bucket)) {
            return Outcome.ignored(key, "bucket " + bucket + " is not the data bucket");
        }
        Settled settled = settle(key, requested);
        recordOutcome(key, settled);
        return settled.outcome();
    }

    /** Records what became of an upload (anything but IGNORED). */
    private void recordOutcome(String key, Settled settled) {
        if (settled.outcome().status() != Status.IGNORED) {
            Outcome o = settled.outcome();
            datasets.recordUpload(new UploadOutcome(key, settled.versionId(), Layout.uploadFolder(key),
                    UploadStatus.valueOf(o.status().name()), o.reason(), o.datasetVersion(), settled.model(), o.runId(),
                    settled.modelVersion(), o.reportKey(), o.reportHtmlKey(), 0, clock.instant()));
        }
    }

    /**
     * Records that an attempt to ingest an upload failed with {@code error} (the delivery is retried, or, after
     * {@code maxAttempts}, sent to the dead-letter queue): RETRYING while attempts remain, FAILED_DELIVERY at the
     * last. Nothing is changed when the upload already has an outcome concluded from its bytes (another delivery
     * of the same event got through).
     *
     * @return the outcome recorded, or empty when nothing was changed
     */
    public Optional<UploadOutcome> deliveryFailed(String key, String eventVersionId, String error, int maxAttempts) {
        String versionId = eventVersionId == null || eventVersionId.isBlank() ? latestVersion(key) : eventVersionId;
        Optional<UploadOutcome> before = datasets.findUpload(key, versionId);
        if (before.isPresent() && !before.get().status().replaceable()) {
            return Optional.empty();
        }
        int attempts = before.map(UploadOutcome::attempts).orElse(0) + 1;
        UploadOutcome failed = attempts >= maxAttempts
                ? failedDelivery(key, versionId, attempts, error, clock.instant())
                : UploadOutcome.undelivered(key, versionId, UploadStatus.RETRYING, "attempt " + attempts + " of "
                + maxAttempts + " failed: " + error + " (the delivery is tried again)", attempts, clock.instant());
        return datasets.recordUpload(failed) ? Optional.of(failed) : Optional.empty();
    }

    /** The version id a head sees now, so that an event without one files its failures where its outcome goes. */
    private String latestVersion(String key) {
        try {
            return store.head(key, null).map(ObjectStore.ObjectInfo::versionId).orElse(null);
        } catch (RuntimeException unreachable) {
            return null;
        }
    }

    /**
     * The outcome of an upload whose every delivery attempt failed: what failed last, and how to replay it once the
     * cause is fixed.
     */
    public static UploadOutcome failedDelivery(String key, String versionId, int attempts, String error, Instant at) {
        return UploadOutcome.undelivered(key, versionId, UploadStatus.FAILED_DELIVERY, "ingesting it failed "
                + attempts + " time(s), last with: " + error + "; the event waits in the dead-letter queue: once the"
                + " cause is fixed, ./mlops datasets redrive replays it (on AWS: docs/deploying-to-aws.md \"Redriving"
                + " failed uploads\")",
                attempts, at);
    }

    /** An outcome, with what the upload record keeps beyond it. */
    private record Settled(Outcome outcome, String versionId, String model, Integer modelVersion) {

        Settled(Outcome outcome, String versionId) {
            this(outcome, versionId, null, null);
        }
    }

    /** An upload the gate let through: where it is, pinned at the version its head saw, and for which model. */
    private record Admitted(Layout.Upload upload, String key, ObjectStore.ObjectInfo head, String versionId,
                            Map<String, String> metadata, String model) {
    }

    /** What was written about a read upload: its version, reports, schema and profile, and its dataset record. */
    private record Published(String dataset, String version, String reportKey, String reportHtmlKey,
                             boolean firstRecord) {
    }

    /** Gate, scan, publish, start: each step either ends with an outcome or hands the next one its input. */
    private Settled settle(String key, String requested) {
        Object gate = gate(key, requested);
        if (gate instanceof Settled refused) {
            return refused;
        }
        Admitted admitted = (Admitted) gate;
        if (inParts != null) {
            Long asked;
            try {
                asked = askedPartBytes(admitted.metadata());
            } catch (ContractException bad) {
                return new Settled(rejected(key, admitted.upload().dataset(), "unusable", bad.getMessage(), null),
                        admitted.versionId());
            }
            long size = admitted.head().size();
            if (size > inParts.inlineBytes() || asked != null && size > asked) {
                // Never more than MAX_PARTS parts, whatever an upload asks.
                long partBytes = Math.max(asked != null ? asked : inParts.partBytes(), (size + MAX_PARTS - 1) / MAX_PARTS);
                return validateInParts(admitted, partBytes);
            }
        }
        Checked checked = scan(admitted);
        if (checked == null) {
            return new Settled(rejected(key, admitted.upload().dataset(), "missing", "s3://" + store.bucket() + "/"
                    + key + " disappeared while it was read", null), admitted.versionId());
        }
        return conclude(admitted, checked);
    }

    /**
     * An upload over {@link InParts#inlineBytes()}: its rules settled as for one pass, its bytes planned as parts of
     * whole lines ({@link CsvParts}, reading only a window around each boundary), the plan written where the
     * validation map reads it, and the validation state machine started. The upload is VALIDATING until the merge
     * concludes it ({@link #concludeInParts}) with the outcome one pass would have.
     */
    private Settled validateInParts(Admitted a, long partBytes) {
        String dataset = a.upload().dataset();
        Rules rules = rules(dataset, a.metadata().get("label"), a.metadata().get("task"), a.model());
        if (rules.unusable() != null) {
            // A single pass hashes such an upload for its report; for one this large that is the pass it is too big
            // for, so it is refused with the reason instead.
            return new Settled(rejected(a.key(), dataset, "unusable", rules.unusable(), null), a.versionId());
        }
        CsvParts.RangeSource source = new CsvParts.RangeSource() {
            @Override
            public long size() {
                return a.head().size();
            }

            @Override
            public InputStream open(long first, long last) {
                return store.openRange(a.key(), a.versionId(), first, last).orElseThrow(() -> new TransientException(
                        "s3://" + store.bucket() + "/" + a.key() + " disappeared while its parts were planned", null));
            }
        };
        CsvParts.Plan plan;
        String headerSha256;
        long expectedRows;
        try {
            plan = CsvParts.plan(source, partBytes);
            try (InputStream header = source.open(0, plan.headerLast())) {
                headerSha256 = Sha256.hex(header.readAllBytes());
            }
            expectedRows = CsvParts.estimatedRows(source, plan.headerLast());
        } catch (ContractException oneLine) {
            return new Settled(rejected(a.key(), dataset, "unusable", "the upload has no line break after its header:"
                    + " no rows to validate", null), a.versionId());
        } catch (IOException e) {
            throw new TransientException("reading the header of s3://" + store.bucket() + "/" + a.key() + " failed: "
                    + e.getMessage(), e);
        }
        Optional<DatasetScanner.Settled> settled = settle(a, rules);
        if (settled.isEmpty()) {
            // No schema can be settled from the start of the file (no header, no label column, too many bad rows
            // at the start, a header that is not the first line): one pass says exactly why.
            return inOnePass(a, "no schema can be settled from the start of the file");
        }
        String id = uploadId(a.key(), a.versionId());
        String partsKey = Layout.uploadParts(dataset, id);
        store.put(partsKey, Json.bytes(plan.parts()), "application/json");
        PartedUpload upload = new PartedUpload(dataset, a.key(), a.versionId(), a.head().size(), a.model(),
                a.metadata(), settled.get().withExpectedRows(expectedRows), rules.mismatch(), rules.config(), id,
                plan.headerLast(), headerSha256, plan.parts().size(), partsKey, inParts.maxConcurrency(),
                clock.instant().toEpochMilli());
        String execution = validations.start(upload);
        return new Settled(Outcome.validating(a.key(), dataset, plan.parts().size(), execution), a.versionId(),
                a.model(), null);
    }

    /** The header and schema settled from the start of the upload, as one pass settles them. */
    private Optional<DatasetScanner.Settled> settle(Admitted a, Rules rules) {
        Optional<InputStream> opened = store.open(a.key(), a.versionId());
        if (opened.isEmpty()) {
            throw new TransientException("s3://" + store.bucket() + "/" + a.key() + " disappeared while it was planned",
                    null);
        }
        try (InputStream head = opened.get()) {
            return DatasetScanner.settle(head, rules.mode(), rules.config().validation());
        } catch (IOException e) {
            throw new TransientException("reading the start of s3://" + store.bucket() + "/" + a.key() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /**
     * An upload the parts cannot give one pass's answer for ({@code why}): read in one pass when it is within
     * {@link #ONE_PASS_BYTES}, else refused with the reason.
     */
    private Settled inOnePass(Admitted a, String why) {
        if (a.head().size() > ONE_PASS_BYTES) {
            return new Settled(rejected(a.key(), a.upload().dataset(), "parts", "the upload cannot be validated in"
                    + " parts (" + why + ") and, at " + bytes(a.head().size()) + ", is larger than the "
                    + bytes(ONE_PASS_BYTES) + " one pass reads within a function's time: fix the file as its first"
                    + " rows show, or split it into files under " + bytes(ONE_PASS_BYTES), null), a.versionId());
        }
        Checked checked = scan(a);
        if (checked == null) {
            return new Settled(rejected(a.key(), a.upload().dataset(), "missing", "s3://" + store.bucket() + "/"
                    + a.key() + " disappeared while it was read", null), a.versionId());
        }
        return conclude(a, checked);
    }

    /**
     * Concludes an upload whose parts could not give one pass's answer ({@code why}: a quoting error, validation
     * stopped by its error limit, too many label classes): read in one pass when it is within
     * {@link #ONE_PASS_BYTES}, else refused with the reason; the outcome replaces VALIDATING.
     */
    public Outcome concludeInOnePass(PartedUpload upload, String why) {
        Optional<ObjectStore.ObjectInfo> head = store.head(upload.key(), upload.versionId());
        Layout.Upload parsed = Layout.parseUpload(upload.key()).orElseThrow(() -> new ContractException(
                upload.key() + " is not an upload under " + Layout.INCOMING));
        Settled settled = head.isEmpty()
                ? new Settled(rejected(upload.key(), upload.dataset(), "missing", "s3://" + store.bucket() + "/"
                + upload.key() + " version " + upload.versionId() + " disappeared while it was validated", null),
                upload.versionId())
                : inOnePass(new Admitted(parsed, upload.key(), head.get(), upload.versionId(), upload.metadata(),
                upload.model()), why);
        recordOutcome(upload.key(), settled);
        return settled.outcome();
    }

    /** The part size an upload asks for (object metadata {@value #PART_BYTES}), or null. */
    private static Long askedPartBytes(Map<String, String> metadata) {
        String value = metadata.get(PART_BYTES);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ContractException("object metadata " + PART_BYTES + " must be a positive whole number of bytes,"
                    + " not \"" + value + "\"");
        }
    }

    /** An upload's id among its dataset's uploads: a hash of its key and version (16 hex digits). */
    static String uploadId(String key, String versionId) {
        return Sha256.hex((key + "@" + (versionId == null ? "" : versionId)).getBytes(StandardCharsets.UTF_8))
                .substring(0, 16);
    }

    /**
     * Concludes an upload validated in parts: {@code merged} (the parts' scans merged into what one pass finds, the
     * version a hash of the parts' hashes, {@code partEnds} where they end, for training to check it) is published and, when valid, the pipeline started, exactly as after one
     * pass; the upload's outcome replaces VALIDATING. Idempotent as {@link #ingest} is: a merge run again concludes
     * the same.
     */
    public Outcome concludeInParts(PartedUpload upload, DatasetScan merged, List<Long> partEnds) {
        Layout.Upload parsed = Layout.parseUpload(upload.key()).orElseThrow(() -> new ContractException(
                upload.key() + " is not an upload under " + Layout.INCOMING));
        Admitted admitted = new Admitted(parsed, upload.key(), null, upload.versionId(), upload.metadata(),
                upload.model());
        Checked checked = new Checked(upload.mismatch() == null ? merged : merged.refused(upload.mismatch()),
                upload.schemaSource(), upload.config(), partEnds);
        Settled settled = conclude(admitted, checked);
        recordOutcome(upload.key(), settled);
        return settled.outcome();
    }

    /**
     * Records that validating an upload in parts failed for a reason retries could not fix (a part that kept
     * failing, the map stopped): REJECTED with the step's error and cause; uploading the file again starts over.
     */
    public Outcome failedInParts(PartedUpload upload, String error, String cause) {
        Settled settled = new Settled(rejected(upload.key(), upload.dataset(), "parts", "validating the upload in "
                + upload.parts() + " parts failed: " + error + (cause == null || cause.isBlank() ? "" : ": " + cause)
                + "; upload the file again to start over", null), upload.versionId(), upload.model(), null);
        recordOutcome(upload.key(), settled);
        return settled.outcome();
    }

    /** Publish what a scan found, then start the pipeline when it is valid. */
    private Settled conclude(Admitted admitted, Checked checked) {
        String key = admitted.key();
        Published published = publish(admitted, checked);
        DatasetScan scan = checked.scan();
        if (!scan.valid()) {
            Anomaly problem = scan.anomalies().get(0);
            return new Settled(Outcome.invalid(key, published, problem.message() + (scan.errors() > 1
                    ? " (and " + (scan.errors() - 1) + " more errors in the report)" : "")), admitted.versionId());
        }
        return start(admitted, checked, published);
    }

    /**
     * The gate: the key names an upload ({@code incoming/<dataset>/<file>.csv}), the object is there, and it is
     * within {@link #maxUploadBytes()} (refused before it is read, with a report that says so).
     *
     * @return the {@link Admitted} upload, or the {@link Settled} outcome of one that goes no further
     */
    private Object gate(String key, String requested) {
        Layout.Upload upload;
        try {
            Optional<Layout.Upload> parsed = Layout.parseUpload(key);
            if (parsed.isEmpty()) {
                return new Settled(Outcome.ignored(key, "not under " + Layout.INCOMING), requested);
            }
            upload = parsed.get();
        } catch (IllegalArgumentException badKey) {
            return new Settled(rejected(key, null, "key", badKey.getMessage(), null), requested);
        }
        String dataset = upload.dataset();
        Optional<ObjectStore.ObjectInfo> head = store.head(key, requested);
        if (head.isEmpty()) {
            return new Settled(rejected(key, dataset, "missing", "s3://" + store.bucket() + "/" + key
                    + (requested == null ? "" : " version " + requested) + " does not exist (deleted before it was read?)",
                    null), requested);
        }
        ObjectStore.ObjectInfo info = head.get();
        // Pin the version the head saw, so what is validated is what is recorded (and what training reads).
        String versionId = info.versionId() != null ? info.versionId() : requested;
        if (info.size() > maxUploadBytes) {
            // Refused before any work: the report says what the limit is and where bigger files go.
            Anomaly why = new Anomaly(AnomalyKind.TOO_LARGE, null, Severity.ERROR, 0, List.of(), "the upload is "
                    + bytes(info.size()) + "; the ingest function reads at most " + bytes(maxUploadBytes)
                    + " (MAX_UPLOAD_BYTES, see docs/validation.md \"Limits\"): split the file into parts under the limit and"
                    + " upload them as separate files, or raise the limit together with the function's timeout");
            String reportKey = Layout.rejectedReport(dataset, rejectionId(key, versionId));
            store.putJson(reportKey, DatasetReport.rejected(dataset, key, versionId, info.size(), why));
            return new Settled(rejected(key, dataset, "size", why.message(), reportKey), versionId);
        }
        Map<String, String> metadata = info.metadata() == null ? Map.of() : info.metadata();
        return new Admitted(upload, key, info, versionId, metadata, metadata.getOrDefault("model", dataset));
    }

    /**
     * The scan: the dataset's settings and schema, then the object read once; null when it vanished meanwhile.
     *
     * @throws TransientException when the bytes read are not the object the head described
     */
    private Checked scan(Admitted a) {
        Checked checked = check(a.upload().dataset(), a.key(), a.versionId(), a.head().size(),
                a.metadata().get("label"), a.metadata().get("task"), a.model());
        if (checked != null && checked.scan().bytes() != a.head().size()) {
            // The bytes read are not the object the head described (a store that lists an object before its
            // upload has finished): record nothing, let the delivery be retried.
            throw new TransientException("s3://" + store.bucket() + "/" + a.key() + " changed while it was read: its"
                    + " head said " + a.head().size() + " bytes, " + checked.scan().bytes() + " were read", null);
        }
        return checked;
    }

    /**
     * Publishing: the validation report (JSON and a page), for a valid upload its schema (the dataset's accepted
     * one when it was inferred) and its profile, the dataset version record (first write wins) and its metric.
     */
    private Published publish(Admitted a, Checked checked) {
        String dataset = a.upload().dataset();
        DatasetScan scan = checked.scan();
        String version = scan.sha256();
        DatasetReport report = DatasetReport.of(dataset, a.key(), a.versionId(), scan, checked.schemaSource());
        String reportKey = Layout.validationReport(dataset, version);
        store.putJson(reportKey, report);
        String htmlKey = Layout.reportHtml(dataset, version);
        store.put(htmlKey, ValidationReportHtml.render(report, scan.schema(), scan.profile())
                .getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8");
        String schemaKey = null;
        String profileKey = null;
        if (scan.valid()) {
            schemaKey = Layout.validatedSchema(dataset, version);
            store.putJson(schemaKey, scan.schema());
            if (scan.inferred()) {
                // First valid upload of the dataset: the inferred schema becomes the accepted one, editable by people.
                store.putJson(Layout.schema(dataset), scan.schema());
            }
            profileKey = Layout.profile(dataset, version);
            store.putJson(profileKey, scan.profile());
        }
        String label = scan.schema() == null ? null : scan.schema().label();
        boolean first = datasets.record(new DatasetVersion(dataset, version,
                scan.valid() ? DatasetStatus.VALID : DatasetStatus.INVALID, scan.rows(), scan.columns(), label, a.key(),
                a.versionId(), reportKey, profileKey, schemaKey, clock.instant(), htmlKey, (int) scan.errors(),
                (int) scan.warnings()));
        if (first) {
            metrics.count(scan.valid() ? "DatasetsAccepted" : "DatasetsRejected", 1, Map.of("Dataset", dataset));
        }
        return new Published(dataset, version, reportKey, htmlKey, first);
    }

    /**
     * The start: the run is recorded, then its execution started (idempotent by name); a redelivered event finds
     * the run it started before, the same bytes through another upload find the run they made then.
     */
    private Settled start(Admitted a, Checked checked, Published published) {
        String dataset = published.dataset();
        String version = published.version();
        DatasetScan scan = checked.scan();
        String runId = RunRequest.runIdFor(dataset, version);
        RunRequest request = new RunRequest(runId, dataset, version, a.model(), scan.schema().label(),
                new SourceObject(store.bucket(), a.key(), a.versionId(), version, checked.partEnds()),
                CandidateSearch.expand(checked.config().training(), Task.of(scan.schema().task()),
                        scan.profile().labels(), scan.profile().rows()),
                checked.config().blessing(), cause(a.metadata()), scan.profile().rows());
        // The run is recorded before the execution starts, so the registry always finds it to end it. A
        // redelivered event finds the run recorded, and starting the execution again is a no-op (or
        // finishes what a crash between the two steps left undone).
        boolean newRun = runs.start(Run.started(request, launcher.executionIdFor(runId), 1, null, clock.instant()));
        Run earlier = newRun ? null : runs.find(runId).orElse(null);
        String executionId = launcher.executionIdFor(runId);
        if (earlier == null || earlier.status() == RunStatus.RUNNING) {
            // Only a RUNNING run is handed (again) to the pipeline, with the request it was recorded with: an ended
            // run's execution name is taken, and an execution started for it could never end it.
            executionId = launcher.start(earlier == null || earlier.request() == null ? request : earlier.request())
                    .executionId();
        }
        if (earlier == null || sameUpload(earlier, a.key(), a.versionId())) {
            // This upload started the run (a redelivered event concludes the same, and changes nothing).
            return new Settled(Outcome.valid(a.key(), published, runId, executionId), a.versionId(), a.model(), null);
        }
        Run latest = latestAttempt(earlier);
        return new Settled(Outcome.duplicate(a.key(), published, duplicateReason(earlier, latest, a.model()), latest),
                a.versionId(), latest.model(), latest.version());
    }

    /** Whether {@code run} was started by this very upload (the same key at the same S3 version). */
    private static boolean sameUpload(Run run, String key, String versionId) {
        return run.request() != null && run.request().source() != null
                && key.equals(run.request().source().key())
                && Objects.equals(versionId, run.request().source().versionId());
    }

    /** The newest attempt of a run (its retries are {@code <run>-r2}, {@code -r3}, ...). */
    private Run latestAttempt(Run first) {
        Run latest = first;
        for (int attempt = first.attempt() + 1; ; attempt++) {
            Optional<Run> next = runs.find(RunRequest.retryRunId(first.runId(), attempt));
            if (next.isEmpty()) {
                return latest;
            }
            latest = next.get();
        }
    }

    /** Which run, model and version the same bytes made, and what to do about it. */
    private String duplicateReason(Run earlier, Run latest, String requestedModel) {
        StringBuilder s = new StringBuilder("the same bytes (dataset version ").append(earlier.datasetVersion(), 0, 12)
                .append("…) came earlier");
        if (earlier.request() != null && earlier.request().source() != null) {
            s.append(" as s3://").append(store.bucket()).append('/').append(earlier.request().source().key());
        }
        s.append(": run ").append(latest.runId()).append(" is ").append(latest.status()).append(", model ")
                .append(latest.model());
        if (latest.version() != null) {
            s.append(" v").append(latest.version());
        }
        if (!latest.model().equals(requestedModel)) {
            s.append("; model ").append(requestedModel).append(" was not trained and no version of it was created:"
                    + " the pipeline trains a dataset version once, as the model of its first upload");
        }
        if (latest.status().retryable()) {
            s.append("; retry it with ./mlops runs retry ").append(latest.runId());
        }
        return s.toString();
    }

    /** The drift check that wrote a retraining upload (its object metadata), or null for any other upload. */
    static RunCause cause(Map<String, String> metadata) {
        String check = metadata.get("cause-check");
        String verdict = metadata.get("cause-verdict");
        if (check == null || verdict == null) {
            return null;
        }
        return new RunCause(check, verdict, metadata.get("cause-report"));
    }

    private Outcome rejected(String key, String dataset, String reason, String message, String reportKey) {
        metrics.count("UploadsRejected", 1, Map.of("Reason", reason));
        return Outcome.rejected(key, dataset, message, reportKey);
    }

    /**
     * The scan, how its schema was settled, and the dataset's settings; for an upload validated in parts, the last
     * byte of its header and of each part (what its version hashes), else null.
     */
    private record Checked(DatasetScan scan, String schemaSource, PipelineConfig config, List<Long> partEnds) {

        Checked(DatasetScan scan, String schemaSource, PipelineConfig config) {
            this(scan, schemaSource, config, null);
        }
    }

    /** Reads the settings and the schema, then the object once; null when the object vanished meanwhile. */
    private Checked check(String dataset, String key, String versionId, long size, String labelFromMetadata,
                          String taskFromMetadata, String model) {
        Rules rules = rules(dataset, labelFromMetadata, taskFromMetadata, model);
        if (rules.unusable() != null) {
            return unusable(key, versionId, rules.unusable());
        }
        try {
            // On every core for a large object (by ranges), in one pass for a small one: the same scan.
            DatasetScan scan = ParallelScanner.scan(new ObjectRanges(key, versionId, size), rules.mode(),
                    rules.config().validation(), Runtime.getRuntime().availableProcessors(), null);
            return new Checked(rules.mismatch() == null ? scan : scan.refused(rules.mismatch()), rules.schemaSource(),
                    rules.config());
        } catch (Vanished e) {
            return null;
        } catch (IOException e) {
            throw new TransientException("reading s3://" + store.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * The rules an upload is read by: how its rows are checked, an error settled before any row is read (a task
     * mismatch), the dataset's settings and where the schema comes from; or, in {@code unusable}, why it cannot be
     * checked at all.
     */
    private record Rules(DatasetScanner.Mode mode, Anomaly mismatch, PipelineConfig config, String schemaSource,
                         String unusable) {

        static Rules unusable(String why) {
            return new Rules(null, null, null, null, why);
        }
    }

    /** The rules of an upload, from its metadata, the dataset's settings and its accepted schema. */
    private Rules rules(String dataset, String labelFromMetadata, String taskFromMetadata, String model) {
        if (!Names.isValid(model)) {
            return Rules.unusable("model name \"" + model
                    + "\" (object metadata) is invalid: use 1-40 characters of a-z, 0-9, '-' and '_'");
        }
        PipelineConfig config;
        try {
            config = store.findJson(Layout.config(dataset), PipelineConfig.class).orElse(PipelineConfig.defaults());
        } catch (ContractException e) {
            return Rules.unusable(Layout.config(dataset) + ": " + e.getMessage());
        }
        Optional<Schema> accepted;
        try {
            accepted = store.findJson(Layout.schema(dataset), Schema.class);
        } catch (ContractException e) {
            return Rules.unusable(Layout.schema(dataset) + ": " + e.getMessage());
        }
        if (taskFromMetadata != null && !Schema.TASKS.contains(taskFromMetadata)) {
            return Rules.unusable("the upload names task \"" + taskFromMetadata + "\" (object metadata"
                    + " \"task\"); expected classification or regression");
        }
        // The upload's task, else the config's; checked against the accepted schema's, or given to inference.
        String named = taskFromMetadata != null ? taskFromMetadata : config.task();
        String namedBy = taskFromMetadata != null ? "the upload (object metadata \"task\")" : Layout.config(dataset);
        Anomaly mismatch = null;
        DatasetScanner.Mode mode;
        if (accepted.isPresent()) {
            Schema schema = accepted.get();
            if (labelFromMetadata != null && !labelFromMetadata.equals(schema.label())) {
                return Rules.unusable("the upload names label column \"" + labelFromMetadata
                        + "\" but the accepted schema of " + dataset + " (" + Layout.schema(dataset) + ") has \""
                        + schema.label() + "\"");
            }
            if (named != null && !named.equals(schema.task())) {
                mismatch = new Anomaly(AnomalyKind.TASK_MISMATCH, schema.label(), Severity.ERROR, 0, List.of(),
                        namedBy + " names the task " + named + " but " + dataset + " is a " + schema.task()
                                + " (its accepted schema " + Layout.schema(dataset) + "): upload it as a new dataset,"
                                + " or remove the accepted schema to start the dataset again");
            }
            mode = new DatasetScanner.Mode.Validate(schema);
        } else {
            mode = new DatasetScanner.Mode.Infer(labelFromMetadata == null ? DEFAULT_LABEL : labelFromMetadata, named);
        }
        return new Rules(mode, mismatch, config, accepted.isPresent() ? "accepted" : "inferred", null);
    }

    /** The object vanished while it was read. */
    private static final class Vanished extends IOException {
        private static final long serialVersionUID = 1L;

        Vanished(String key) {
            super(key + " vanished while it was read");
        }
    }

    /**
     * An object by ranges, at the size its head said: the whole object is read as a whole (so bytes past that size
     * still show, and the scan's count says the object changed), a part by a range.
     */
    private final class ObjectRanges implements CsvParts.RangeSource {
        private final String key;
        private final String versionId;
        private final long size;

        ObjectRanges(String key, String versionId, long size) {
            this.key = key;
            this.versionId = versionId;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public InputStream open(long first, long last) throws IOException {
            Optional<InputStream> in = first == 0 && last >= size - 1 ? store.open(key, versionId)
                    : store.openRange(key, versionId, first, last);
            return in.orElseThrow(() -> new Vanished(key));
        }
    }

    /** The upload cannot be checked at all: hash it (its version) and report why. */
    private Checked unusable(String key, String versionId, String message) {
        Optional<InputStream> opened = store.open(key, versionId);
        if (opened.isEmpty()) {
            return null;
        }
        String sha;
        long size;
        try (InputStream in = opened.get()) {
            CsvStream.Read read = CsvStream.hash(in);
            sha = read.sha256();
            size = read.bytes();
        } catch (IOException e) {
            throw new TransientException("reading s3://" + store.bucket() + "/" + key + " failed: " + e.getMessage(), e);
        }
        Anomaly why = new Anomaly(AnomalyKind.UNUSABLE, null, Severity.ERROR, 0, List.of(), message);
        return new Checked(new DatasetScan(false, sha, size, 0, 0, false, null, false, List.of(why), null), null,
                PipelineConfig.defaults());
    }

    private static String rejectionId(String key, String versionId) {
        String file = key.substring(key.lastIndexOf('/') + 1);
        return file + "@" + (versionId == null ? "latest" : versionId);
    }

    private static String bytes(long n) {
        if (n >= 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%,d bytes (%.2f GiB)", n, n / (1024.0 * 1024 * 1024));
        }
        return String.format(Locale.ROOT, "%,d bytes (%.1f MiB)", n, n / (1024.0 * 1024));
    }
}

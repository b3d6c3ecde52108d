package dev.mlops.core.batch;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.core.Layout;
import dev.mlops.core.data.CsvParts;
import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.model.explain.Explainer;
import dev.mlops.core.ports.BatchJobs;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.serving.ServedModels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scores a CSV with one model version, in parts: the three steps of the batch state machine.
 * <ol>
 *   <li>{@link #plan}: pins the input's version and the model version, reads the header, plans the parts
 *       ({@link CsvParts}: byte ranges of whole lines) and writes them as the JSON array the Distributed Map
 *       reads; records the job RUNNING.</li>
 *   <li>{@link #scorePart}: one part, read with a range GET, scored by {@link PartScorer}; its rows and counts
 *       are written under the part's own keys (the first part's led by the output's header), the same bytes on a
 *       retry, so a part scored twice is still joined once.</li>
 *   <li>{@link #finish}: joins the parts in order into {@code out/scored.csv} ({@link ObjectStore#concat}: on S3
 *       copied in place, not read through the function), writes {@code
 *       summary.json} and records the job SUCCEEDED; {@link #fail} records why a job failed.</li>
 * </ol>
 */
public final class BatchScoring {

    /**
     * How jobs are cut and run (template.yaml: BatchJobFunction's BATCH_PART_BYTES and BATCH_MAX_CONCURRENCY).
     *
     * @param partBytes      bytes per part unless the request says
     * @param maxConcurrency parts scored at once
     */
    public record Settings(long partBytes, int maxConcurrency) {
        public Settings {
            if (partBytes < 1 || maxConcurrency < 1) {
                throw new IllegalArgumentException("batch settings must be positive: " + partBytes + " bytes per part, "
                        + maxConcurrency + " parts at once");
            }
        }
    }

    /** About 80,000 rows of 20 numbers a part, scored well within the function's timeout; 10 parts at once. */
    public static final Settings DEFAULTS = new Settings(16L * 1024 * 1024, 10);

    private final ObjectStore store;
    private final ServedModels models;
    private final BatchJobs jobs;
    private final Clock clock;
    private final Settings settings;

    public BatchScoring(ObjectStore store, ServedModels models, BatchJobs jobs, Clock clock, Settings settings) {
        this.settings = settings;
        this.store = store;
        this.models = models;
        this.jobs = jobs;
        this.clock = clock;
    }

    /**
     * Plans a job.
     *
     * @throws ContractException when the model or version cannot serve, the input is missing, has no header, or
     *                           its header lacks a feature of the model, or contributions are asked of a model
     *                           that is not explained (a regression)
     */
    public BatchPlan plan(BatchRequest request) {
        long t0 = clock.millis();
        ServedModels.Served served = resolve(request.model(), request.version());
        ObjectStore.ObjectInfo input = store.head(request.inputKey(), request.inputVersion()).orElseThrow(() ->
                new ContractException("the batch input s3://" + store.bucket() + "/" + request.inputKey()
                        + " does not exist"));
        long partBytes = request.partBytes() == null ? settings.partBytes() : request.partBytes();
        if (partBytes < 1) {
            throw new ContractException("part_bytes must be at least 1, not " + partBytes);
        }
        String version = input.versionId();
        CsvParts.Plan plan = CsvParts.plan(new CsvParts.RangeSource() {
            @Override
            public long size() {
                return input.size();
            }

            @Override
            public InputStream open(long first, long last) {
                return range(request.inputKey(), version, first, last);
            }
        }, partBytes);
        if (plan.headerLast() < 0) {
            throw new ContractException("the batch input " + request.inputKey() + " is empty: expected a header line");
        }
        List<String> header = header(request.inputKey(), version, plan.headerLast());
        PartScorer.requireFeatures(served.predictor().signature(), header);
        if (request.explain() != null) {
            Explainer.of(served.predictor()); // refuses --explain for a model whose task is not explained
        }
        String partsKey = Layout.batchParts(request.model(), request.job());
        store.putJson(partsKey, plan.parts());
        BatchPlan planned = new BatchPlan(request.model(), request.job(), request.inputKey(), version, input.size(),
                served.version().version(), header, plan.headerLast(), plan.parts().size(), partsKey,
                settings.maxConcurrency(), request.explain(), t0, clock.millis() - t0);
        jobs.record(new BatchJob(planned.model(), planned.job(), BatchJob.RUNNING, planned.version(),
                planned.inputKey(), null, null, planned.parts(), 0, 0, clock.instant(), null, null));
        return planned;
    }

    /**
     * The plan of a job that has no record yet, made where the upload's event is handled, so the execution starts
     * with it and skips its own Plan step (one function invocation less before the first part, and on a cold
     * start, one execution environment less). Empty when the job has a record already (a repeated event: the
     * execution's name refuses a second run) or cannot be planned here: the Plan step then plans it, or records
     * why it cannot be.
     */
    public Optional<BatchPlan> planNew(BatchRequest request) {
        if (jobs.find(request.model(), request.job()).isPresent()) {
            return Optional.empty();
        }
        try {
            return Optional.of(plan(request));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Scores one part and writes its rows and counts (the same bytes each time it is scored). */
    public PartResult scorePart(PartTask task) {
        long t0 = clock.millis();
        BatchPlan plan = task.plan();
        ServedModels.Served served = resolve(plan.model(), plan.version());
        PartScorer scorer = new PartScorer(served.predictor(), plan.header(), plan.explain());
        long read = System.nanoTime();
        byte[] bytes;
        try (InputStream in = range(plan.inputKey(), plan.inputVersion(), task.part().first(), task.part().last())) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new TransientException("reading part " + task.part().part() + " of " + plan.inputKey() + ": "
                    + e.getMessage(), e);
        }
        read = System.nanoTime() - read;
        PartScorer.Scored scored;
        try {
            scored = scorer.score(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] rows = scored.csv();
        if (task.part().part() == 0) {
            // The output's header leads the first part, so the join is the parts' bytes alone (copied in place).
            byte[] header = PartScorer.outputHeader(plan.header(), served.predictor().signature().classes(),
                    plan.explain() != null);
            byte[] both = Arrays.copyOf(header, header.length + rows.length);
            System.arraycopy(rows, 0, both, header.length, rows.length);
            rows = both;
        }
        long write = System.nanoTime();
        store.put(Layout.batchPartRows(plan.model(), plan.job(), task.part().part()), rows, "text/csv");
        write = System.nanoTime() - write;
        PartResult result = new PartResult(task.part().part(), scored.rows(), scored.errors(), scored.predictions(),
                scored.denseRows(), rows.length, clock.millis() - t0, t0, new PartResult.Phases(millis(read),
                millis(scored.parseNanos()), millis(scored.scoreNanos()), millis(scored.formatNanos()), millis(write)));
        store.putJson(Layout.batchPartSummary(plan.model(), plan.job(), task.part().part()), result);
        return result;
    }

    /**
     * Joins the parts in order under the output header, writes the summary, and records the job SUCCEEDED.
     *
     * @throws IllegalStateException when a part's output is missing (the map run did not score it)
     */
    public BatchSummary finish(BatchPlan plan) {
        long t0 = clock.millis();
        List<PartResult> results = new ArrayList<>(plan.parts());
        List<String> rowKeys = new ArrayList<>(plan.parts());
        ServedModels.Served served = resolve(plan.model(), plan.version());
        for (int part = 0; part < plan.parts(); part++) {
            String summaryKey = Layout.batchPartSummary(plan.model(), plan.job(), part);
            PartResult result = store.findJson(summaryKey, PartResult.class).orElseThrow(() ->
                    new IllegalStateException("part " + summaryKey + " was not scored"));
            results.add(result);
            rowKeys.add(Layout.batchPartRows(plan.model(), plan.job(), part));
        }
        if (rowKeys.isEmpty()) {
            // No rows: the output is the header alone.
            store.put(Layout.batchOutput(plan.model(), plan.job()), PartScorer.outputHeader(plan.header(),
                    served.predictor().signature().classes(), plan.explain() != null), "text/csv");
        } else {
            store.concat(Layout.batchOutput(plan.model(), plan.job()), rowKeys, "text/csv");
        }
        long rows = 0;
        long errors = 0;
        long partSum = 0;
        long partMax = 0;
        Map<String, Long> predictions = new TreeMap<>();
        for (PartResult r : results) {
            rows += r.rows();
            errors += r.errors();
            partSum += r.millis();
            partMax = Math.max(partMax, r.millis());
            r.predictions().forEach((label, n) -> predictions.merge(label, n, Long::sum));
        }
        long end = clock.millis();
        BatchSummary summary = new BatchSummary(plan.model(), plan.job(), plan.version(), plan.inputKey(),
                Layout.batchOutput(plan.model(), plan.job()), rows, rows - errors, errors, predictions, plan.parts(),
                new BatchSummary.Timings(plan.planMillis(), partSum, partMax, end - t0, end - plan.startedAt()),
                plan.explain() == null ? null : Explainer.of(served.predictor()).method());
        String summaryKey = Layout.batchSummary(plan.model(), plan.job());
        store.putJson(summaryKey, summary);
        jobs.record(new BatchJob(plan.model(), plan.job(), BatchJob.SUCCEEDED, plan.version(), plan.inputKey(),
                summary.output(), summaryKey, plan.parts(), rows, errors,
                java.time.Instant.ofEpochMilli(plan.startedAt()), clock.instant(), null));
        return summary;
    }

    /** Records that a job failed, with the error the state machine caught. */
    public BatchJob fail(String model, String job, String inputKey, String error, String cause) {
        BatchJob before = jobs.find(model, job).orElse(null);
        BatchJob failed = new BatchJob(model, job, BatchJob.FAILED, before == null ? 0 : before.version(),
                inputKey, null, null, before == null ? 0 : before.parts(), 0, 0,
                before == null ? clock.instant() : before.startedAt(), clock.instant(),
                (error == null ? "" : error + ": ") + (cause == null ? "" : cause));
        jobs.record(failed);
        return failed;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    private ServedModels.Served resolve(String model, Integer version) {
        ServedModels.Resolution r = version == null ? models.production(model)
                : models.resolve(model, Map.of("version", String.valueOf(version)));
        if (r instanceof ServedModels.Found found) {
            return found.served();
        }
        ServedModels.NotServed why = (ServedModels.NotServed) r;
        if (why.kind() == ServedModels.NotServed.Kind.UNREACHABLE) {
            throw new TransientException(why.reason(), null);
        }
        throw new ContractException(why.reason());
    }

    private InputStream range(String key, String version, long first, long last) {
        return store.openRange(key, version, first, last).orElseThrow(() ->
                new ContractException("the batch input s3://" + store.bucket() + "/" + key + " (version " + version
                        + ") is gone"));
    }

    private List<String> header(String key, String version, long headerLast) {
        try (InputStream in = range(key, version, 0, headerLast);
             CsvReader<CsvRecord> csv = CsvReader.builder().detectBomHeader(true).ofCsvRecord(in)) {
            Iterator<CsvRecord> it = csv.iterator();
            List<String> header = it.hasNext() ? it.next().getFields() : List.of();
            if (header.isEmpty() || header.stream().allMatch(String::isBlank)) {
                throw new ContractException("the batch input " + key + " has an empty header line");
            }
            return header.stream().map(String::strip).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

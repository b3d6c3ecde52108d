package dev.mlops.local.cli;

import dev.mlops.aws.DynamoBatchJobs;
import dev.mlops.aws.S3MultipartPut;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.batch.BatchRequest;
import dev.mlops.core.batch.PartResult;
import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.ports.BatchJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code ./mlops batch ...}: score a CSV with a model in parts (the batch state machine), list and show jobs. */
@Command(name = "batch",
        description = "Score a CSV file with a model (a batch job), list and show jobs.",
        subcommands = {BatchCommand.Score.class, BatchCommand.ListJobs.class, BatchCommand.Show.class},
        synopsisSubcommandLabel = "COMMAND")
final class BatchCommand extends CommandGroup {

    /** {@code batch score}: uploads the file under batch/MODEL/JOB.csv, whose trigger starts the job. */
    @Command(name = "score",
            description = {"Upload FILE to batch/MODEL/JOB.csv: its trigger starts a batch job that scores every row",
                    "with the production version (or --version) and writes batch/MODEL/JOB/out/scored.csv.",
                    "With --wait (or when no stack is running), follow the job to its end; exit code 1 unless it",
                    "SUCCEEDED. Rows the model cannot score get their reason in the error column."})
    static final class Score extends BaseCommand {

        @Parameters(paramLabel = "FILE", description = "The CSV file: a header, then one row per line.")
        Path file;

        @Option(names = "--model", paramLabel = "NAME", required = true, converter = NameConverter.Model.class,
                description = "The model to score with.")
        String model;

        @Option(names = "--version", paramLabel = "N", description = "This model version (default: production).")
        Integer version;

        @Option(names = "--job", paramLabel = "NAME", converter = NameConverter.Job.class,
                description = "The job's name (default: the file's name and the time).")
        String job;

        @Option(names = "--part-bytes", paramLabel = "BYTES",
                description = "Bytes per part (default: BATCH_PART_BYTES in template.yaml).")
        Long partBytes;

        @Option(names = "--explain", paramLabel = "K",
                description = {"Add a contributions column: each row's K largest feature contributions",
                        "(feature=value;...), as :explain computes them (docs/explanations.md)."})
        Integer explain;

        @Option(names = "--wait", description = "Wait until the job has ended and print how.")
        boolean wait;

        @Option(names = "--out", paramLabel = "F.csv", description = "Also save the scored CSV here (implies --wait).")
        Path outFile;

        @Override
        public Integer call() throws Exception {
            requireFile(file);
            if (version != null && version < 1) {
                throw usageError("--version must be 1 or more");
            }
            if (partBytes != null && partBytes < 1) {
                throw usageError("--part-bytes must be 1 or more");
            }
            if (explain != null && explain < 1) {
                throw usageError("--explain must be 1 or more");
            }
            String name = job != null ? job : defaultJob(file, Instant.now());
            String key = Layout.batchInput(model, name);
            Map<String, String> metadata = new LinkedHashMap<>();
            if (version != null) {
                metadata.put(BatchRequest.MODEL_VERSION, String.valueOf(version));
            }
            if (partBytes != null) {
                metadata.put(BatchRequest.PART_BYTES, String.valueOf(partBytes));
            }
            if (explain != null) {
                metadata.put(BatchRequest.EXPLAIN, String.valueOf(explain));
            }
            try (Session session = openSession()) {
                // As `./mlops upload` sends it: one PUT up to 256 MiB, past it in parts of 256 MiB, two at once.
                UploadCommand.put(session, file, key, metadata, S3MultipartPut.DEFAULT_PART_BYTES);
                Console.progress("uploaded " + file + " to s3://" + session.bucket() + "/" + key);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", model);
                out.put("job", name);
                out.put("input", "s3://" + session.bucket() + "/" + key);
                if (!(wait || outFile != null || session.owned())) {
                    out.put("status", "STARTED");
                    return report(out, model + "/" + name + ": started (./mlops batch show " + model + " " + name
                            + ")", MlopsCommand.OK);
                }
                BatchJob done = follow(session, model, name, Duration.ofHours(2));
                out.putAll(document(done, session.bucket()));
                if (outFile != null && BatchJob.SUCCEEDED.equals(done.status())) {
                    try (var in = session.store().open(done.output(), null).orElseThrow()) {
                        Files.copy(in, outFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    out.put("saved", outFile.toString());
                }
                boolean ok = BatchJob.SUCCEEDED.equals(done.status());
                return report(out, summary(done, session.bucket()) + (outFile != null && ok ? "\n  saved " + outFile
                        : ""), ok ? MlopsCommand.OK : MlopsCommand.FAILED);
            }
        }
    }

    /** {@code <file name>-<yyyyMMddHHmmss>}, cut to a valid job name. */
    static String defaultJob(Path file, Instant at) {
        String base = file.getFileName().toString().toLowerCase(Locale.ROOT).replaceFirst("\\.csv$", "")
                .replaceAll("[^a-z0-9_-]", "-").replaceAll("^[-_]+", "");
        String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
                .withZone(java.time.ZoneOffset.UTC).format(at);
        base = base.isEmpty() ? "job" : base.substring(0, Math.min(base.length(), 40 - stamp.length() - 1));
        return base + "-" + stamp;
    }

    /** Follows a job until it ends, showing the parts scored so far. */
    static BatchJob follow(Session session, String model, String job, Duration timeout) throws InterruptedException {
        BatchJobs jobs = jobs(session);
        long deadline = System.nanoTime() + timeout.toNanos();
        Progress progress = null;
        try {
            while (System.nanoTime() < deadline) {
                BatchJob j = jobs.find(model, job).orElse(null);
                if (j != null && !BatchJob.RUNNING.equals(j.status())) {
                    return j;
                }
                if (j != null && j.parts() > 0) {
                    if (progress == null) {
                        progress = Progress.count("score " + model + "/" + job, j.parts(), "parts");
                    }
                    String prefix = Layout.batchPrefix(model, job) + "out/parts/";
                    progress.stepTo(session.store().list(prefix, null).stream()
                            .filter(o -> o.key().endsWith(".json")).count());
                }
                Thread.sleep(500);
            }
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
        throw new IllegalStateException("batch job " + model + "/" + job + " has not ended after " + timeout);
    }

    static BatchJobs jobs(Session session) {
        return new DynamoBatchJobs(session.clients().dynamoDb(), session.model().tableName("BatchJobsTable"));
    }

    /** A job for people: status, version, counts, where its output is. */
    static String summary(BatchJob j, String bucket) {
        StringBuilder s = new StringBuilder();
        s.append(j.model()).append('/').append(j.job()).append(": ").append(j.status());
        if (j.version() > 0) {
            s.append(" · version ").append(j.version());
        }
        s.append(String.format(Locale.ROOT, " · %d parts", j.parts()));
        if (BatchJob.SUCCEEDED.equals(j.status())) {
            s.append(String.format(Locale.ROOT, " · %,d rows, %,d errors", j.rows(), j.errors()));
            s.append("\n  output  s3://").append(bucket).append('/').append(j.output());
            s.append("\n  summary s3://").append(bucket).append('/').append(j.summary());
        }
        if (j.reason() != null) {
            s.append("\n  ").append(j.reason());
        }
        return s.toString();
    }

    static Map<String, Object> document(BatchJob j, String bucket) {
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = Json.MAPPER.convertValue(j, LinkedHashMap.class);
        if (j.output() != null) {
            doc.put("output", "s3://" + bucket + "/" + j.output());
        }
        if (j.summary() != null) {
            doc.put("summary", "s3://" + bucket + "/" + j.summary());
        }
        return doc;
    }

    /** {@code batch list}: the jobs, newest first. */
    @Command(name = "list", description = "List batch jobs, newest first.")
    static final class ListJobs extends BaseCommand {

        @Option(names = "--model", paramLabel = "NAME", converter = NameConverter.Model.class,
                description = "Only this model's jobs.")
        String model;

        @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (default 20).")
        int limit = 20;

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                List<BatchJob> all = jobs(session).list(model, limit);
                if (json()) {
                    print(all.stream().map(j -> document(j, session.bucket())).toList());
                    return MlopsCommand.OK;
                }
                if (all.isEmpty()) {
                    out().println("no batch jobs");
                }
                for (BatchJob j : all) {
                    out().println(String.format(Locale.ROOT, "%-20s %-32s %-9s v%-3d %,12d rows %,8d errors  %s",
                            j.model(), j.job(), j.status(), j.version(), j.rows(), j.errors(), j.startedAt()));
                }
                return MlopsCommand.OK;
            }
        }
    }

    /** {@code batch show MODEL JOB}: one job, and its summary once it succeeded. */
    @Command(name = "show", description = "Show a batch job: status, version, counts, output, timings (each part's too).")
    static final class Show extends BaseCommand {

        @Parameters(index = "0", paramLabel = "MODEL", converter = NameConverter.Model.class, description = "The model.")
        String model;

        @Parameters(index = "1", paramLabel = "JOB", converter = NameConverter.Job.class, description = "The job.")
        String job;

        @Override
        public Integer call() throws Exception {
            try (Session session = openSession()) {
                BatchJob j = jobs(session).find(model, job).orElse(null);
                if (j == null) {
                    out().println("no batch job " + model + "/" + job);
                    return MlopsCommand.FAILED;
                }
                Map<String, Object> doc = document(j, session.bucket());
                StringBuilder human = new StringBuilder(summary(j, session.bucket()));
                if (j.summary() != null) {
                    var summary = Json.MAPPER.readTree(session.store().find(j.summary()).orElseThrow().bytes());
                    doc.put("predictions", summary.path("predictions"));
                    doc.put("timings", summary.path("timings"));
                    human.append("\n  predictions ").append(summary.path("predictions"));
                    human.append("\n  timings (ms) ").append(summary.path("timings"));
                    if (summary.hasNonNull("contributions")) {
                        doc.put("contributions", summary.path("contributions").asText());
                        human.append("\n  contributions ").append(summary.path("contributions").asText());
                    }
                    List<PartResult> parts = new ArrayList<>(j.parts());
                    for (int part = 0; part < j.parts(); part++) {
                        session.store().findJson(Layout.batchPartSummary(model, job, part), PartResult.class)
                                .ifPresent(parts::add);
                    }
                    doc.put("part_timings", parts.stream().map(r -> Map.of("part", r.part(), "rows", r.rows(),
                            "dense_rows", r.denseRows(), "millis", r.millis(), "started_at", r.startedAt(),
                            "phases", r.phases())).toList());
                    human.append("\n  part times (ms) ").append(parts.stream().map(PartResult::millis).toList());
                }
                return report(doc, human.toString(), BatchJob.FAILED.equals(j.status()) ? MlopsCommand.FAILED
                        : MlopsCommand.OK);
            }
        }
    }
}

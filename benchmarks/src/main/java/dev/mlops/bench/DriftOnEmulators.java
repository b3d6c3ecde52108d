package dev.mlops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.mlops.aws.DynamoRunLog;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.core.Json;
import dev.mlops.core.domain.Run;
import dev.mlops.core.model.Prediction;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.local.runtime.Events;
import dev.mlops.local.runtime.LocalEnvironment;
import software.amazon.awssdk.core.sync.RequestBody;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The drift check over captured traffic stored in the S3 emulator, end to end, as the schedule runs it: a model
 * trained by the local pipeline (one logistic regression) on 10,000 rows of 20 standard normal features; then, for each window size, that
 * many captured rows of the same distribution written to S3Mock by the inference function's own batch writer
 * ({@link CaptureBatcher}, the template's batch size), and the drift check function invoked through the Lambda
 * Invoke API (hosted in this JVM, so this JVM's -Xmx is its heap). Prints, per window, the check's wall time, the
 * largest heap in use after a collection during it, and the peak of the heap pools (garbage included); writes the
 * training and captured values of the last window as little-endian float64 files (row-major) for the SciPy peer.
 *
 * <pre>
 *   benchmarks/drift-bench.sh        (pins this JVM to one core once the emulators are up)
 * </pre>
 */
public final class DriftOnEmulators {

    static final int FEATURES = 20;
    static final int TRAINING_ROWS = 10_000;
    static final String MODEL = "drift-bench";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        List<Integer> windows = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            windows.add(Integer.parseInt(args[i]));
        }
        Files.createDirectories(out);
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("mlops-bench-drift-");
        AtomicLong maxAfterGc = new AtomicLong();
        java.util.Set<String> heapPools = new java.util.HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    // The heap's pools only (the map also holds metaspace and the code cache).
                    long used = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo()
                            .getMemoryUsageAfterGc().entrySet().stream().filter(e -> heapPools.contains(e.getKey()))
                            .mapToLong(e -> e.getValue().getUsed()).sum();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        LocalEnvironment env = LocalEnvironment.start(root, home);
        String bucket = env.model().bucket().name();
        // From here on this JVM (the drift function's host) is pinned to one core; the emulators are not.
        if (System.getenv("PIN_CPU") != null) {
            new ProcessBuilder("taskset", "-a", "-cp", System.getenv("PIN_CPU"),
                    Long.toString(ProcessHandle.current().pid())).inheritIO().start().waitFor();
        }
        try {
            // The model: trained by the pipeline on 10,000 rows.
            SplittableRandom random = new SplittableRandom(42);
            StringBuilder csv = new StringBuilder();
            for (int f = 0; f < FEATURES; f++) {
                csv.append(name(f)).append(',');
            }
            csv.append("label\n");
            double[][] training = new double[TRAINING_ROWS][FEATURES];
            for (int r = 0; r < TRAINING_ROWS; r++) {
                double sum = 0;
                for (int f = 0; f < FEATURES; f++) {
                    // Values as clients send them: a float's shortest form, not 17 digits.
                    float v = (float) gaussian(random);
                    double x = Double.parseDouble(Float.toString(v));
                    training[r][f] = x;
                    sum += f < 3 ? x : 0;
                    csv.append(v).append(',');
                }
                csv.append(sum > 0 ? "high" : "low").append('\n');
            }
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            // One logistic regression: the check does not depend on the model's family, and the default search
            // (every family) takes minutes on 10,000 rows of a loaded 2-core machine.
            env.clients().s3().putObject(b -> b.bucket(bucket).key("schemas/" + MODEL + "/config.json"),
                    RequestBody.fromString("{\"training\": {\"families\": [\"logistic-regression\"]}}"));
            env.clients().s3().putObject(b -> b.bucket(bucket).key("incoming/" + MODEL + "/train.csv"),
                    RequestBody.fromBytes(bytes));
            DynamoRunLog runs = new DynamoRunLog(env.clients().dynamoDb(), env.model().tableName("RunsTable"),
                    Clock.systemUTC());
            String runId = RunRequest.runIdFor(MODEL, Sha256.hex(bytes));
            Run run = null;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (run == null || !run.status().ended()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the training run did not end");
                }
                Thread.sleep(200);
                run = runs.find(runId).orElse(null);
            }
            System.err.println("model trained: " + run.status() + " v" + run.version());
            write(out.resolve("reference.f64"), training);

            S3ObjectStore store = new S3ObjectStore(env.clients().s3(), bucket);
            // The first check reads nothing (and warms the function up, as a scheduled one would find it).
            invoke(env, Events.scheduled(env.model().schedules().get(0), Map.of("model", MODEL)));
            System.out.printf(Locale.ROOT, "{\"machine\": \"%d cores, %s\", \"load_before\": \"%s\"}%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"),
                    Files.readString(Path.of("/proc/loadavg")).trim());
            for (int rows : windows) {
                boolean last = rows == windows.get(windows.size() - 1);
                // The values go to a file as they are drawn (row after row), not kept: this heap is the function's.
                DataOutputStream values = last ? new DataOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(out.resolve("current.f64")), 1 << 20)) : null;
                long w0 = System.nanoTime();
                CaptureBatcher batcher = new CaptureBatcher(store, new CaptureBatcher.Settings(10_000, 16L << 20,
                        Duration.ofHours(1)), Clock.systemUTC());
                for (int r = 0; r < rows; r++) {
                    Map<String, Object> instance = new LinkedHashMap<>();
                    for (int f = 0; f < FEATURES; f++) {
                        float v = (float) gaussian(random);
                        if (values != null) {
                            // The value the check parses from the captured JSON text.
                            values.writeLong(Long.reverseBytes(Double.doubleToRawLongBits(
                                    Double.parseDouble(Float.toString(v)))));
                        }
                        instance.put(name(f), v);
                    }
                    double p = (float) random.nextDouble();
                    batcher.add(new CaptureSink.CapturedRequest("bench-" + rows + "-" + r, MODEL, run.version(),
                            Instant.now(), List.of(instance), List.of(new Prediction(p > 0.5 ? "high" : "low",
                            Map.of("high", p, "low", 1 - p)))));
                }
                batcher.flush();
                if (values != null) {
                    values.close();
                }
                long written = System.nanoTime();
                Thread.sleep(7_000); // the check's settle time (5 s) past the last batch
                System.gc();
                long before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                maxAfterGc.set(0);
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    pool.resetPeakUsage();
                }
                long c0 = System.nanoTime();
                String result = invoke(env, Events.scheduled(env.model().schedules().get(0), Map.of("model", MODEL)));
                long c1 = System.nanoTime();
                long poolPeak = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        poolPeak += pool.getPeakUsage().getUsed();
                    }
                }
                var check = Json.MAPPER.readTree(result).path("checks").path(0);
                var report = Json.MAPPER.readTree(store.find(check.path("report_key").asText()).orElseThrow().bytes());
                System.out.printf(Locale.ROOT, "{\"rows\": %d, \"features\": %d, \"objects\": %d, \"mb_read\": %.1f,"
                                + " \"verdict\": \"%s\", \"drifted\": %s, \"check_s\": %.2f, \"check_in_function_s\": %.2f,"
                                + " \"heap_before_check_mb\": %.1f, \"max_heap_after_gc_mb\": %.1f, \"heap_pool_peak_mb\": %.1f,"
                                + " \"max_heap_mb\": %.0f,"
                                + " \"write_s\": %.1f, \"test\": \"%s\"}%n",
                        check.path("samples").asLong(), FEATURES, report.path("read").path("objects").asLong(),
                        report.path("read").path("bytes").asLong() / 1e6, check.path("verdict").asText(),
                        check.path("drifted_features"), (c1 - c0) / 1e9, report.path("elapsed_millis").asLong() / 1e3,
                        before / 1e6, maxAfterGc.get() / 1e6, poolPeak / 1e6, Runtime.getRuntime().maxMemory() / 1e6,
                        (written - w0) / 1e9, report.path("drift").path("columns").path(name(0)).path("test").asText());
                System.out.flush();
            }
        } finally {
            Thread closer = new Thread(env::close);
            closer.setDaemon(true);
            closer.start();
            closer.join(30_000);
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        System.exit(0);
    }

    static String name(int f) {
        return String.format(Locale.ROOT, "f%02d", f);
    }

    static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** Rows one after the other, little-endian float64 (numpy.fromfile(..., '<f8').reshape(-1, FEATURES)). */
    static void write(Path file, double[][] rows) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            for (double[] row : rows) {
                for (double x : row) {
                    b.clear();
                    b.putDouble(x);
                    o.write(b.array());
                }
            }
        }
    }

    static String invoke(LocalEnvironment env, byte[] event) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        env.info().lambdaUrl() + "/2015-03-31/functions/" + env.model().function("DriftCheckFunction")
                                .name() + "/invocations")).timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
            throw new IllegalStateException(response.body());
        }
        return response.body();
    }
}

package dev.mlops.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import dev.mlops.aws.PowertoolsMetrics;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.serving.BackgroundCapture;
import dev.mlops.core.serving.CaptureBatcher;
import dev.mlops.core.serving.ServingService;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import dev.mlops.functions.inference.InferenceHandler;
import dev.mlops.local.template.StackModel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One single-row prediction through the inference handler, from the API Gateway event's JSON to the
 * response's JSON with the Lambda Java runtime's own serializers, the model trained by the pipeline
 * (on in-memory ports) and capture at the template's default sample rate, handed to the background
 * writer exactly as the function does. Captured objects are serialised as in S3 and then dropped
 * (counted), so the store does not grow during the run. For context: the same with capture off, and
 * the core predictor alone. The {@code paced*} pair repeats the first two with a pause before each call (not
 * timed): back to back, the writer thread competes with the caller for the cores; paced, it works in the gaps.
 * {@code *WithShadowOn}: the same request while a shadow rollout scores every request with a second version, as the
 * function does: the capture writer (the same writer and queue as the headline figure's) hands it to the shadow
 * scorer thread, at the lowest priority: compared with {@code *WithCaptureDefault}, what a shadow adds to what the
 * caller waits for. Run with the inference function's JVM flags ({@link FunctionJvmFlags}), which make the JVM
 * honour that priority.
 *
 * <pre>
 *   benchmarks/run-jmh.sh     (see benchmarks/README.md)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class HandlerLatency {

    /** The dataset the model is trained on and the row comes from (its first row). */
    @Param({"breast_cancer", "iris"})
    public String dataset;

    private InferenceHandler captureDefault;
    private InferenceHandler captureOff;
    private InferenceHandler shadowOn;
    private BackgroundCapture background;
    private DroppingCaptureStore captureStore;
    private Predictor predictor;
    private Map<String, Object> row;
    private byte[] event;
    private PojoSerializer<APIGatewayV2HTTPEvent> in;
    private PojoSerializer<APIGatewayV2HTTPResponse> out;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath();
        Map<String, String> env = StackModel.load(root.resolve("template.yaml")).function("InferenceFunction")
                .environment();
        String sampleRate = env.get("CAPTURE_SAMPLE_RATE");
        CaptureBatcher.Settings batches = new CaptureBatcher.Settings(Integer.parseInt(env.get("CAPTURE_BATCH_RECORDS")),
                Long.parseLong(env.get("CAPTURE_BATCH_BYTES")),
                java.time.Duration.ofSeconds(Long.parseLong(env.get("CAPTURE_FLUSH_SECONDS"))));
        PipelineHarness p = new PipelineHarness();
        String csv = Datasets.read(dataset);
        p.runToEnd(p.upload(dataset, csv).runId());
        captureStore = new DroppingCaptureStore(p.store);
        background = new BackgroundCapture(new CaptureBatcher(captureStore, batches, Clock.systemUTC()), p.metrics,
                Integer.parseInt(env.getOrDefault("CAPTURE_QUEUE", "1024")));
        captureDefault = handler(p, background, Double.parseDouble(sampleRate));
        captureOff = handler(p, request -> { }, 0.0);
        PipelineHarness shadowed = shadowRollout(csv);
        shadowOn = handler(shadowed, background, Double.parseDouble(sampleRate));

        row = firstRow(csv);
        String body = dev.mlops.core.Json.string(Map.of("instances", List.of(row)));
        String template = Files.readString(root.resolve("events/InferenceFunction/predict.json"), StandardCharsets.UTF_8);
        APIGatewayV2HTTPEvent e = serializer(APIGatewayV2HTTPEvent.class).fromJson(template);
        e.setRawPath("/v1/models/" + dataset + ":predict");
        e.getPathParameters().put("model", dataset + ":predict");
        e.setBody(body);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        serializer(APIGatewayV2HTTPEvent.class).toJson(e, bytes);
        event = bytes.toByteArray();
        in = serializer(APIGatewayV2HTTPEvent.class);
        out = serializer(APIGatewayV2HTTPResponse.class);
        predictor = ((ArtifactLoader.Ready) new ArtifactLoader(p.store)
                .load(p.registry.find(dataset, 1).orElseThrow().artifact())).predictor();
        byte[] check = predictWithCaptureDefault();
        if (!new String(check, StandardCharsets.UTF_8).contains("\"statusCode\":200")) {
            throw new IllegalStateException("the benchmark request is not answered 200: " + new String(check, StandardCharsets.UTF_8));
        }
        String shadowCheck = new String(predictWithShadowOn(), StandardCharsets.UTF_8);
        if (!shadowCheck.contains("\"statusCode\":200") || !shadowCheck.contains("model_version\\\":1")) {
            throw new IllegalStateException("the shadowed request is not answered 200 by production: " + shadowCheck);
        }
    }

    /**
     * The same model in production (v1) with a shadow rollout of a second version (trained without the last row,
     * registered NOT_BLESSED and rolled out by hand) scoring every request.
     */
    private PipelineHarness shadowRollout(String csv) {
        PipelineHarness s = new PipelineHarness();
        s.runToEnd(s.upload(dataset, csv).runId());
        s.store.putJson(dev.mlops.core.Layout.config(dataset), Map.of("training",
                PipelineHarness.ONE_CANDIDATE.get("training"), "blessing", Map.of("margin", -0.5)));
        String v2 = csv.strip().substring(0, csv.strip().lastIndexOf('\n') + 1);
        s.runToEnd(s.upload(dataset, dataset + "-v2.csv", v2, Map.of()).runId());
        dev.mlops.core.registry.Change started = s.commands.run(new dev.mlops.core.registry.RegistryCommand.StartRollout(
                dataset, 2, "shadow", 1.0, 1, "bench", "shadow on every request", true));
        if (!started.ok()) {
            throw new IllegalStateException("the shadow rollout did not start: " + started.reason());
        }
        return s;
    }

    @TearDown(Level.Trial)
    public void report() {
        System.out.printf("%n[capture] sample rate and batches from template.yaml; written %d in %d objects (%d bytes),"
                        + " dropped (queue full) %d, failed %d, pending %d%n", background.written(),
                captureStore.captured.get(), captureStore.capturedBytes.get(), background.dropped(), background.failed(),
                background.pending());
        System.out.printf("[shadow] requests left uncompared (capture queue full): %d%n", background.shadowsDropped());
    }

    private static InferenceHandler handler(PipelineHarness p, dev.mlops.core.ports.CaptureSink capture, double rate) {
        ServingService service = new ServingService(p.store, p.registry, capture, p.metrics, rate,
                () -> ThreadLocalRandom.current().nextDouble(), 1 << 20, Clock.systemUTC(),
                Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "alias-refresh");
                    t.setDaemon(true);
                    return t;
                }));
        return new InferenceHandler(service, PowertoolsMetrics.fromEnvironment());
    }

    private static <T> PojoSerializer<T> serializer(Class<T> type) {
        return LambdaEventSerializers.serializerFor(type, HandlerLatency.class.getClassLoader());
    }

    /** The first data row of the CSV, as numbers (the label left out). */
    static Map<String, Object> firstRow(String csv) {
        String[] lines = csv.split("\n");
        String[] header = lines[0].trim().split(",");
        String[] values = lines[1].trim().split(",");
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            if (!header[i].equals("label")) {
                row.put(header[i], Double.parseDouble(values[i]));
            }
        }
        return row;
    }

    private byte[] invoke(InferenceHandler handler) {
        APIGatewayV2HTTPEvent e = in.fromJson(new ByteArrayInputStream(event));
        APIGatewayV2HTTPResponse response = handler.handleRequest(e, null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        out.toJson(response, bytes);
        return bytes.toByteArray();
    }

    /** Event JSON → handler → response JSON, capture at the template's default (the headline figure). */
    @Benchmark
    public byte[] predictWithCaptureDefault() {
        return invoke(captureDefault);
    }

    /** Capture at the default, a shadow rollout scoring every request off the request path. */
    @Benchmark
    public byte[] predictWithShadowOn() {
        return invoke(shadowOn);
    }

    /** The same with capture off. */
    @Benchmark
    public byte[] predictWithCaptureOff() {
        return invoke(captureOff);
    }

    /**
     * A pause before each call, outside the timing: requests arriving at a steady rate below saturation, as a
     * Lambda container sees them (one at a time), instead of back to back. The background writer then works
     * in the gaps, as it would between a container's requests.
     */
    @State(Scope.Thread)
    public static class Paced {

        /** Pause before each call, µs (200: at most ~4,000 requests a second). */
        @Param({"200"})
        public long pauseMicros;

        @Setup(Level.Invocation)
        public void pause() {
            java.util.concurrent.locks.LockSupport.parkNanos(pauseMicros * 1_000);
        }
    }

    /** Capture at the template's default, requests at a steady rate below saturation ({@link Paced}). */
    @Benchmark
    public byte[] pacedWithCaptureDefault(Paced paced) {
        return invoke(captureDefault);
    }

    /** A shadow rollout on, requests at a steady rate below saturation. */
    @Benchmark
    public byte[] pacedWithShadowOn(Paced paced) {
        return invoke(shadowOn);
    }

    /** The same with capture off. */
    @Benchmark
    public byte[] pacedWithCaptureOff(Paced paced) {
        return invoke(captureOff);
    }

    /** The core predictor alone, on the same row as a map. */
    @Benchmark
    public Object predictorAlone() {
        return predictor.predict(List.of(row));
    }
}

package dev.mlops.bench;

import dev.mlops.local.runtime.FunctionHost;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.template.StackModel;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Latency of one single-row prediction through the inference function's handler, from the API
 * Gateway event to the response, in-process (no HTTP), with the model trained by the real pipeline
 * on the local emulators. Only the public local-runtime API and raw SDK calls are used, so the same
 * file measures older and newer versions of the project alike.
 *
 * <pre>
 *   java -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.InferenceLatency ITERATIONS CAPTURE_SAMPLE_RATE [ITERATIONS CAPTURE_SAMPLE_RATE ...]
 * </pre>
 */
public final class InferenceLatency {

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("mlops-bench-");
        System.setProperty("mlops.root", root.toString());
        try (LocalEnvironment env = LocalEnvironment.start(root, home)) {
            byte[] iris = Files.readAllBytes(root.resolve("data/iris.csv"));
            String bucket = env.model().bucket().name();
            env.clients().s3().putObject(b -> b.bucket(bucket).key("incoming/bench/iris.csv"), RequestBody.fromBytes(iris));
            awaitProductionModel(env, "bench");

            String event = Files.readString(root.resolve("events/InferenceFunction/predict.json"), StandardCharsets.UTF_8)
                    .replace("iris:predict", "bench:predict")
                    .replaceAll("\"body\": \".*\"", "\"body\": \"{\\\\\"instances\\\\\": [{\\\\\"sepal_length_cm\\\\\": 5.1, "
                            + "\\\\\"sepal_width_cm\\\\\": 3.5, \\\\\"petal_length_cm\\\\\": 1.4, \\\\\"petal_width_cm\\\\\": 0.2}]}\"");
            StackModel.Function function = env.model().function("InferenceFunction");
            for (int i = 0; i + 1 < args.length; i += 2) {
                int iterations = Integer.parseInt(args[i]);
                String rate = args[i + 1];
                Map<String, String> environment = new LinkedHashMap<>(function.environment());
                environment.putAll(env.clients().environment());
                environment.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
                environment.put("CAPTURE_SAMPLE_RATE", rate);
                FunctionHost host = new FunctionHost(function, environment);
                byte[] payload = event.getBytes(StandardCharsets.UTF_8);
                int warmup = Math.max(50, iterations / 2);
                for (int w = 0; w < warmup; w++) {
                    check(host.invoke(payload));
                }
                long[] nanos = new long[iterations];
                for (int n = 0; n < iterations; n++) {
                    long t0 = System.nanoTime();
                    FunctionHost.Result result = host.invoke(payload);
                    nanos[n] = System.nanoTime() - t0;
                    check(result);
                }
                Arrays.sort(nanos);
                System.out.printf("capture_sample_rate=%s iterations=%d p50=%.1f us p90=%.1f us p99=%.1f us max=%.1f us%n",
                        rate, iterations, nanos[iterations / 2] / 1e3, nanos[(int) (iterations * 0.9)] / 1e3,
                        nanos[(int) (iterations * 0.99)] / 1e3, nanos[iterations - 1] / 1e3);
            }
        }
    }

    private static void check(FunctionHost.Result result) {
        if (result.failed()) {
            throw new IllegalStateException("prediction failed: " + result.error());
        }
        String body = new String(result.payload(), StandardCharsets.UTF_8);
        if (!body.contains("\"statusCode\":200")) {
            throw new IllegalStateException("prediction answered " + body);
        }
    }

    private static void awaitProductionModel(LocalEnvironment env, String model) throws InterruptedException {
        String table = env.model().tableName("ModelsTable");
        long deadline = System.nanoTime() + 300_000_000_000L;
        while (System.nanoTime() < deadline) {
            Map<String, AttributeValue> item = env.clients().dynamoDb().getItem(b -> b.tableName(table)
                    .key(Map.of("model", AttributeValue.fromS(model), "sk", AttributeValue.fromS("alias#production")))).item();
            if (item != null && !item.isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no production model after 5 minutes");
    }
}

package dev.mlops.bench;

import dev.mlops.local.runtime.FunctionHost;
import dev.mlops.local.template.StackModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the local runtime adds to a warm invocation: the inference function answering a request it refuses
 * without any I/O (a model name that is not valid: 400), through {@code FunctionHost.invoke}, many times after a
 * warm-up. Only the public local-runtime API is used, so the same file measures the runtime before execution
 * environments (the handler called in the runtime's JVM) and after (a process per environment) alike.
 *
 * <pre>
 *   java -Dmlops.root=$PWD -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.InvokeOverhead ITERATIONS
 * </pre>
 */
public final class InvokeOverhead {

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
        int iterations = Integer.parseInt(args[0]);
        StackModel.Function function = StackModel.load(root.resolve("template.yaml")).function("InferenceFunction");
        Map<String, String> environment = new LinkedHashMap<>(function.environment());
        environment.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY",
                "bench", "AWS_ENDPOINT_URL", "http://127.0.0.1:9", "WARM_UP_MODELS", "0",
                "AWS_LAMBDA_FUNCTION_NAME", function.name()));
        FunctionHost host = new FunctionHost(function, environment);
        byte[] event = ("{\"version\":\"2.0\",\"routeKey\":\"POST /v1/models/{model}\",\"rawPath\":\"/v1/models/..:predict\","
                + "\"body\":\"{}\",\"isBase64Encoded\":false,\"requestContext\":{\"requestId\":\"bench\","
                + "\"http\":{\"method\":\"POST\",\"path\":\"/v1/models/..:predict\"}}}").getBytes(StandardCharsets.UTF_8);
        for (int w = 0; w < Math.max(2000, iterations / 2); w++) {
            check(host.invoke(event));
        }
        long[] nanos = new long[iterations];
        for (int n = 0; n < iterations; n++) {
            long t0 = System.nanoTime();
            FunctionHost.Result result = host.invoke(event);
            nanos[n] = System.nanoTime() - t0;
            check(result);
        }
        Arrays.sort(nanos);
        System.out.printf("iterations=%d p50=%.1f us p90=%.1f us p99=%.1f us max=%.1f us%n", iterations,
                nanos[iterations / 2] / 1e3, nanos[(int) (iterations * 0.9)] / 1e3,
                nanos[(int) (iterations * 0.99)] / 1e3, nanos[iterations - 1] / 1e3);
        host.close();
        System.exit(0);
    }

    private static void check(FunctionHost.Result result) {
        String body = result.failed() ? String.valueOf(result.error()) : new String(result.payload(), StandardCharsets.UTF_8);
        if (!body.contains("\"statusCode\":400")) {
            throw new IllegalStateException("expected a 400, got " + body);
        }
    }
}

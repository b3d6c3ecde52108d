package dev.mlops.local.emulators;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The three emulators of the local stack, started in parallel, with their data under one folder so
 * that a later start finds what an earlier one stored:
 * <ul>
 *   <li>S3: Adobe S3Mock's executable jar (the one emulator that accepts the SDK's default checksums,
 *       multipart uploads and the Transfer Manager), behind the Node watchdog;</li>
 *   <li>DynamoDB: dynalite on LevelDB;</li>
 *   <li>Step Functions: our facade over aws-local-stepfunctions, calling Lambda at {@code lambdaEndpoint}.</li>
 * </ul>
 */
public final class Emulators implements AutoCloseable {

    /** Where each emulator listens. */
    public record Endpoints(URI s3, URI dynamodb, URI stepFunctions) {
    }

    private final List<ChildProcess> children;
    private final Endpoints endpoints;
    private final Map<String, Long> startMillis;

    private Emulators(List<ChildProcess> children, Endpoints endpoints, Map<String, Long> startMillis) {
        this.children = children;
        this.endpoints = endpoints;
        this.startMillis = startMillis;
    }

    /**
     * Starts the emulators.
     *
     * @param projectRoot    the repository (for infra/local/node and the S3Mock jar)
     * @param dataDir        persistent data (s3/, dynamodb/, stepfunctions/) and logs/
     * @param lambdaEndpoint the local Lambda Invoke endpoint the state machine's tasks call
     */
    public static Emulators start(Path projectRoot, Path dataDir, URI lambdaEndpoint) throws IOException {
        Path nodeDir = projectRoot.resolve("infra/local/node");
        Path s3mockJar = projectRoot.resolve("infra/local/target/emulators/s3mock-exec.jar");
        if (!Files.exists(s3mockJar)) {
            throw new IOException("S3Mock is not built: " + s3mockJar + " is missing (run the Maven build, or ./mlops)");
        }
        NodeModules.ensureInstalled(nodeDir);
        Path logs = dataDir.resolve("logs");
        for (String d : List.of("s3", "dynamodb", "stepfunctions")) {
            Files.createDirectories(dataDir.resolve(d));
        }
        String node = "node";
        int s3Port = freePort();
        List<ChildProcess> children = new ArrayList<>();
        Map<String, Long> startMillis = new LinkedHashMap<>();
        try {
            long t0 = System.nanoTime();
            ChildProcess s3 = ChildProcess.start("s3mock", List.of(node, nodeDir.resolve("watchdog.mjs").toString(), "--",
                    javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx512m",
                    "-jar", s3mockJar.toString(),
                    "--com.adobe.testing.s3mock.http-port=" + s3Port,
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + dataDir.resolve("s3").toAbsolutePath(),
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                    "--logging.level.root=WARN", "--spring.main.banner-mode=off"), nodeDir, logs.resolve("s3mock.log"));
            children.add(s3);
            ChildProcess dynamo = ChildProcess.start("dynalite", List.of(node, "dynalite-server.mjs", "--port", "0",
                    "--path", dataDir.resolve("dynamodb").toAbsolutePath().toString()), nodeDir, logs.resolve("dynalite.log"));
            children.add(dynamo);
            ChildProcess sfn = ChildProcess.start("stepfunctions", List.of(node, "--import", "./polyfill.mjs",
                    "stepfunctions-server.mjs", "--port", "0",
                    "--data", dataDir.resolve("stepfunctions").toAbsolutePath().toString(),
                    "--lambda-endpoint", lambdaEndpoint.toString()), nodeDir, logs.resolve("stepfunctions.log"));
            children.add(sfn);

            CompletableFuture<Void> s3Ready = CompletableFuture.runAsync(() -> awaitHttp(s3, s3Port, Duration.ofSeconds(90)));
            int dynamoPort = dynamo.awaitReady(Duration.ofSeconds(60));
            startMillis.put("dynalite", (System.nanoTime() - t0) / 1_000_000);
            int sfnPort = sfn.awaitReady(Duration.ofSeconds(60));
            startMillis.put("stepfunctions", (System.nanoTime() - t0) / 1_000_000);
            try {
                s3Ready.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
            startMillis.put("s3mock", (System.nanoTime() - t0) / 1_000_000);
            return new Emulators(children, new Endpoints(URI.create("http://127.0.0.1:" + s3Port),
                    URI.create("http://127.0.0.1:" + dynamoPort), URI.create("http://127.0.0.1:" + sfnPort)), startMillis);
        } catch (IOException | RuntimeException e) {
            children.forEach(ChildProcess::close);
            throw e;
        }
    }

    private static void awaitHttp(ChildProcess process, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException(process.name() + " exited during start-up; see its log");
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                if (c.getResponseCode() > 0) {
                    return;
                }
            } catch (IOException notYet) {
                // keep polling
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(process.name() + " did not answer on port " + port + " within " + timeout.toSeconds() + " s");
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Milliseconds from launch until each emulator answered (they start in parallel). */
    public Map<String, Long> startMillis() {
        return startMillis;
    }

    /** Process ids of the children (and what they started), for `local down` to verify. */
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (ChildProcess c : children) {
            pids.add(c.pid());
        }
        return pids;
    }

    @Override
    public void close() {
        children.parallelStream().forEach(ChildProcess::close);
    }
}

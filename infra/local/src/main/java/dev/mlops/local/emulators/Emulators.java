package dev.mlops.local.emulators;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The three emulators of the local stack, started in parallel, with their data under one folder so
 * that a later start finds what an earlier one stored:
 * <ul>
 *   <li>S3: Adobe S3Mock's executable jar (the one emulator that accepts the SDK's default checksums,
 *       multipart uploads and the Transfer Manager), behind the Node watchdog;</li>
 *   <li>DynamoDB: dynalite on LevelDB;</li>
 *   <li>Step Functions: our facade over aws-local-stepfunctions, calling Lambda at {@code lambdaEndpoint} and
 *       sending execution status changes to EventBridge at {@code eventsEndpoint}.</li>
 * </ul>
 *
 * <p>Supervised: an emulator that dies while the stack runs is named on stderr (which one, its exit code, its
 * log) and started again on the same port with its data after {@link #restartDelay()}, so the functions' clients
 * find it where they left it. One that keeps dying (five times in a minute) or cannot be started again is given
 * up, and the {@link Listener} hears it: the stack cannot work without it.
 */
public final class Emulators implements AutoCloseable {

    /** Where each emulator listens, and the gateway in front of them all. */
    public record Endpoints(URI s3, URI dynamodb, URI stepFunctions, URI gateway) {
    }

    /** Which servers play S3 and DynamoDB: S3Mock and dynalite, or moto's server (a second, independent backend). */
    public enum Backend { EMULATORS, MOTO }

    /**
     * How to start the stack's emulators.
     *
     * @param lambdaEndpoint        the local Lambda Invoke endpoint (the state machine's tasks reach it through the gateway)
     * @param eventsEndpoint        the local EventBridge endpoint (null: none; execution status changes go there)
     * @param principals            the IAM principals the gateway enforces ({@link dev.mlops.local.runtime.LocalIam}; null:
     *                              off); the state machines sign their calls with their role's key from there
     * @param usage                 where the gateway counts the statements that allowed calls (with principals)
     * @param backend               S3 and DynamoDB from S3Mock and dynalite, or from moto
     * @param ecsEndpoint           the local ECS ({@link dev.mlops.local.runtime.LocalContainerTasks}; null: none)
     */
    public record Options(URI lambdaEndpoint, URI eventsEndpoint, Path principals, Path usage, Backend backend,
                          URI ecsEndpoint) {
        /** Without ECS: a state machine's ecs:runTask.sync state fails, saying so. */
        public Options(URI lambdaEndpoint, URI eventsEndpoint, Path principals, Path usage, Backend backend) {
            this(lambdaEndpoint, eventsEndpoint, principals, usage, backend, null);
        }
    }

    /** Hears what the supervisor does. */
    public interface Listener {
        /** An emulator came back (its process ids changed). */
        default void restarted(String name) {
        }

        /** An emulator is gone for good. */
        default void gaveUp(String name, String why) {
        }
    }

    /** How to (re)start one emulator on a given port. */
    private record Spec(String name, String service, Path log, IntFunction<List<String>> command, boolean readyLine) {
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final int MAX_DEATHS = 5;

    private final Path nodeDir;
    private final Map<String, Spec> specs = new LinkedHashMap<>();
    private final Map<String, ChildProcess> children = new ConcurrentHashMap<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> deaths = new ConcurrentHashMap<>();
    private final Endpoints endpoints;
    private final Map<String, Long> startMillis;
    private volatile Duration restartDelay = Duration.ofSeconds(1);
    private volatile Duration deathWindow = Duration.ofMinutes(1);
    private final java.util.Set<String> released = ConcurrentHashMap.newKeySet();
    private volatile Listener listener = new Listener() { };
    private volatile boolean closing;

    private Emulators(Path nodeDir, Map<String, Spec> specs, Map<String, ChildProcess> started, Map<String, Integer> ports,
                      Map<String, Long> startMillis, boolean moto) {
        this.nodeDir = nodeDir;
        this.specs.putAll(specs);
        this.children.putAll(started);
        this.ports.putAll(ports);
        this.startMillis = startMillis;
        this.endpoints = new Endpoints(URI.create("http://127.0.0.1:" + ports.get(moto ? "moto" : "s3mock")),
                URI.create("http://127.0.0.1:" + ports.get(moto ? "moto" : "dynalite")),
                URI.create("http://127.0.0.1:" + ports.get("stepfunctions")),
                URI.create("http://127.0.0.1:" + ports.get("gateway")));
        started.forEach((name, child) -> watch(name, child));
    }

    /** Starts the emulators, the Step Functions facade without an event bus to report to, IAM not enforced. */
    public static Emulators start(Path projectRoot, Path dataDir, URI lambdaEndpoint) throws IOException {
        return start(projectRoot, dataDir, new Options(lambdaEndpoint, null, null, null, Backend.EMULATORS));
    }

    /**
     * Starts the emulators, then the gateway in front of them.
     *
     * @param projectRoot the repository (for infra/local/node and the S3Mock jar)
     * @param dataDir     persistent data (s3/, dynamodb/, stepfunctions/) and logs/
     * @param options     where the local Lambda and EventBridge endpoints are, IAM, the backend
     */
    public static Emulators start(Path projectRoot, Path dataDir, Options options) throws IOException {
        Path nodeDir = projectRoot.resolve("infra/local/node");
        Path s3mockJar = projectRoot.resolve("infra/local/target/emulators/s3mock-exec.jar");
        boolean moto = options.backend() == Backend.MOTO;
        if (!moto && !Files.exists(s3mockJar)) {
            throw new IOException("S3Mock is not built: " + s3mockJar + " is missing (run the Maven build, or ./mlops)");
        }
        NodeModules.ensureInstalled(nodeDir);
        Path logs = dataDir.resolve("logs");
        for (String d : List.of("s3", "s3-tmp", "dynamodb", "stepfunctions")) {
            Files.createDirectories(dataDir.resolve(d));
        }
        String node = "node";
        int gatewayPort = freePort();
        URI gateway = URI.create("http://127.0.0.1:" + gatewayPort);
        Map<String, Spec> specs = new LinkedHashMap<>();
        if (moto) {
            // moto's server app, one request at a time: its DynamoDB checks a condition and writes without a lock, so
            // `python3 -m moto.server` (threaded) let two racing conditional writes both win (DriftCheckLogContract).
            specs.put("moto", new Spec("moto", "S3 and DynamoDB (moto)", logs.resolve("moto.log"), port -> List.of(
                    python(), "-c", "import sys; from werkzeug.serving import run_simple; "
                            + "from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app; "
                            + "run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), "
                            + "threaded=False, use_reloader=False)", String.valueOf(port)), false));
        } else {
            specs.put("s3mock", new Spec("s3mock", "S3", logs.resolve("s3mock.log"), port -> List.of(node,
                    nodeDir.resolve("watchdog.mjs").toString(), "--",
                    javaExecutable(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx512m",
                    // Its temporary files (a part or an object being received) go with the stack's data: a stack
                    // stopped in the middle of a big upload leaves none in the machine's /tmp.
                    "-Djava.io.tmpdir=" + dataDir.resolve("s3-tmp").toAbsolutePath(),
                    // S3Mock binds its HTTP connector to every interface and has no setting for it: see the provider.
                    "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
                    "-Djava.nio.channels.spi.SelectorProvider=" + LoopbackSelectorProvider.class.getName(),
                    "-cp", s3mockJar + java.io.File.pathSeparator + codeSource(LoopbackSelectorProvider.class),
                    "org.springframework.boot.loader.launch.JarLauncher",
                    "--com.adobe.testing.s3mock.http-port=" + port,
                    "--server.port=0",
                    "--server.address=127.0.0.1",
                    "--com.adobe.testing.s3mock.store.root=" + dataDir.resolve("s3").toAbsolutePath(),
                    "--com.adobe.testing.s3mock.store.retain-files-on-exit=true",
                    "--logging.level.root=WARN", "--spring.main.banner-mode=off"), false));
            specs.put("dynalite", new Spec("dynalite", "DynamoDB", logs.resolve("dynalite.log"), port -> List.of(node,
                    "dynalite-server.mjs", "--port", String.valueOf(port),
                    "--path", dataDir.resolve("dynamodb").toAbsolutePath().toString()), true));
        }
        specs.put("stepfunctions", new Spec("stepfunctions", "Step Functions", logs.resolve("stepfunctions.log"),
                port -> {
                    // Task states invoke the functions, and Distributed Maps read and write S3, through the gateway,
                    // signed as the state machine's role.
                    List<String> c = new ArrayList<>(List.of(node, "--import", "./polyfill.mjs",
                            "stepfunctions-server.mjs", "--port", String.valueOf(port),
                            "--data", dataDir.resolve("stepfunctions").toAbsolutePath().toString(),
                            "--lambda-endpoint", gateway.toString(), "--s3-endpoint", gateway.toString()));
                    if (options.eventsEndpoint() != null) {
                        c.addAll(List.of("--events-endpoint", options.eventsEndpoint().toString()));
                    }
                    if (options.principals() != null) {
                        c.addAll(List.of("--principals", options.principals().toAbsolutePath().toString()));
                    }
                    if (options.ecsEndpoint() != null) {
                        c.addAll(List.of("--ecs-endpoint", options.ecsEndpoint().toString()));
                    }
                    return c;
                }, true));

        Map<String, ChildProcess> children = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        Map<String, Long> startMillis = new LinkedHashMap<>();
        try {
            long t0 = System.nanoTime();
            String storage = moto ? "moto" : "s3mock";
            int storagePort = freePort();
            ports.put(storage, storagePort);
            for (Spec spec : specs.values()) {
                // S3Mock and moto are told their port; the Node servers pick a free one and say which (READY <port>).
                children.put(spec.name(), ChildProcess.start(spec.name(),
                        spec.command().apply(spec.readyLine() ? 0 : storagePort), nodeDir, spec.log()));
            }
            CompletableFuture<Void> storageReady = CompletableFuture.runAsync(() ->
                    awaitHttp(children.get(storage), storagePort, START_TIMEOUT));
            if (!moto) {
                ports.put("dynalite", children.get("dynalite").awaitReady(Duration.ofSeconds(60)));
                startMillis.put("dynalite", (System.nanoTime() - t0) / 1_000_000);
            }
            ports.put("stepfunctions", children.get("stepfunctions").awaitReady(Duration.ofSeconds(60)));
            startMillis.put("stepfunctions", (System.nanoTime() - t0) / 1_000_000);
            try {
                storageReady.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
            startMillis.put(storage, (System.nanoTime() - t0) / 1_000_000);
            // The gateway last: it routes to the ports the others took.
            String s3 = "http://127.0.0.1:" + storagePort;
            String dynamodb = "http://127.0.0.1:" + ports.get(moto ? "moto" : "dynalite");
            List<String> gatewayCommand = new ArrayList<>(List.of(node, "aws-gateway.mjs", "--port",
                    String.valueOf(gatewayPort), "--route", "s3=" + s3, "--route", "dynamodb=" + dynamodb,
                    "--route", "states=http://127.0.0.1:" + ports.get("stepfunctions"),
                    "--route", "lambda=" + options.lambdaEndpoint()));
            if (options.eventsEndpoint() != null) {
                gatewayCommand.addAll(List.of("--route", "events=" + options.eventsEndpoint()));
            }
            if (options.principals() != null) {
                gatewayCommand.addAll(List.of("--principals", options.principals().toAbsolutePath().toString(),
                        "--usage", options.usage().toAbsolutePath().toString()));
            }
            Spec gatewaySpec = new Spec("gateway", "the AWS gateway", logs.resolve("gateway.log"),
                    port -> gatewayCommand, true);
            specs.put("gateway", gatewaySpec);
            ChildProcess gatewayProcess = ChildProcess.start("gateway", gatewayCommand, nodeDir, gatewaySpec.log(),
                    false, ECHOED);
            children.put("gateway", gatewayProcess);
            ports.put("gateway", gatewayProcess.awaitReady(Duration.ofSeconds(60)));
            startMillis.put("gateway", (System.nanoTime() - t0) / 1_000_000);
            return new Emulators(nodeDir, specs, children, ports, startMillis, moto);
        } catch (IOException | RuntimeException e) {
            children.values().forEach(ChildProcess::close);
            throw e;
        }
    }

    /** The gateway's log lines that people must see at once (IAM denials), besides its log file. */
    private static final String ECHOED = "[iam] ";

    /** The Python that runs moto's server and the SAM translator ({@code $MLOPS_PYTHON}, else python3). */
    public static String python() {
        return System.getenv().getOrDefault("MLOPS_PYTHON", "python3");
    }

    /** Who hears about restarts and emulators given up. */
    public void listener(Listener listener) {
        this.listener = listener;
    }

    /** How long the supervisor waits before it starts a dead emulator again. */
    public Duration restartDelay() {
        return restartDelay;
    }

    /** Changes how long the supervisor waits before it starts a dead emulator again (fault-injection tests hold one down). */
    public void restartDelay(Duration delay) {
        this.restartDelay = delay;
    }

    /**
     * Changes the span within which five deaths make the supervisor give up (a minute by default). A test on a loaded
     * machine widens it: each restart there can take longer than a fifth of a minute.
     */
    public void deathWindow(Duration window) {
        this.deathWindow = window;
    }

    /** Starts a dead emulator now, without waiting for the rest of {@link #restartDelay()}. */
    public void release(String name) {
        released.add(name);
    }

    /** Kills an emulator as a crash would ({@code SIGKILL} to its processes); the supervisor starts it again. */
    public void kill(String name) {
        ChildProcess child = children.get(name);
        if (child == null) {
            throw new IllegalArgumentException("no emulator " + name + "; emulators: " + names());
        }
        List<ProcessHandle> tree = child.tree();
        // The innermost first (S3Mock's JVM, then its watchdog), as when the emulator itself dies.
        for (int i = tree.size() - 1; i >= 0; i--) {
            tree.get(i).destroyForcibly();
        }
    }

    /** The emulators' names: s3mock, dynalite (or moto), stepfunctions, gateway. */
    public List<String> names() {
        return List.copyOf(specs.keySet());
    }

    /** The processes of one emulator now (for S3Mock: the watchdog and the S3Mock JVM). */
    public List<ProcessHandle> processes(String name) {
        ChildProcess child = children.get(name);
        return child == null ? List.of() : child.tree();
    }

    private void watch(String name, ChildProcess child) {
        child.onExit().whenComplete((p, e) -> {
            if (closing || children.get(name) != child) {
                return;
            }
            Spec spec = specs.get(name);
            System.err.println("[local] " + name + " (" + spec.service() + ", pid " + child.pid() + ") exited with code "
                    + child.exitCode() + "; starting it again on port " + ports.get(name) + " with its data in "
                    + restartDelay.toMillis() + " ms (log: " + spec.log() + ")");
            Thread t = new Thread(() -> {
                try {
                    restart(name, child);
                } catch (Throwable failed) {
                    // A restart that cannot even be tried must not leave the stack waiting for it in silence.
                    giveUp(name, name + " could not be started again: " + failed);
                }
            }, "restart-" + name);
            t.setDaemon(true);
            t.start();
        });
    }

    private void restart(String name, ChildProcess dead) {
        Spec spec = specs.get(name);
        Deque<Long> recent = deaths.computeIfAbsent(name, k -> new ArrayDeque<>());
        synchronized (recent) {
            long now = System.nanoTime();
            recent.addLast(now);
            while (!recent.isEmpty() && now - recent.peekFirst() > deathWindow.toNanos()) {
                recent.removeFirst();
            }
            if (recent.size() >= MAX_DEATHS) {
                giveUp(name, name + " died " + recent.size() + " times within " + within(deathWindow));
                return;
            }
        }
        // Whatever the dead process left running (S3Mock's JVM behind a killed watchdog) would hold the port: its
        // whole process group goes, orphans included.
        dead.kill();
        String lastError = "";
        for (int attempt = 1; attempt <= 3 && !closing; attempt++) {
            ChildProcess child = null;
            try {
                if (attempt == 1) {
                    long until = System.nanoTime() + restartDelay.toNanos();
                    while (System.nanoTime() < until && !closing && !released.remove(name)) {
                        Thread.sleep(50);
                    }
                } else {
                    Thread.sleep(2000);
                }
                if (closing) {
                    return;
                }
                int port = ports.get(name);
                awaitPortFree(port, Duration.ofSeconds(30));
                child = ChildProcess.start(name, spec.command().apply(port), nodeDir, spec.log(), true,
                        name.equals("gateway") ? ECHOED : null);
                if (spec.readyLine()) {
                    child.awaitReady(START_TIMEOUT);
                } else {
                    awaitHttp(child, port, START_TIMEOUT);
                }
                if (!child.alive()) {
                    // The port answered, but not from this process: it is not back.
                    throw new IllegalStateException(name + " exited with code " + child.exitCode()
                            + " while starting; see " + spec.log());
                }
                if (closing) {
                    child.close();
                    return;
                }
                children.put(name, child);
                watch(name, child);
                System.err.println("[local] " + name + " (" + spec.service() + ") is back on port " + port + " (pid "
                        + child.pid() + ")");
                listener.restarted(name);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                lastError = e.getMessage();
                System.err.println("[local] starting " + name + " again failed (attempt " + attempt + "/3): " + lastError);
                if (child != null) {
                    child.kill(); // nothing half-started is left holding the port
                }
            }
        }
        if (!closing) {
            giveUp(name, name + " could not be started again: " + lastError);
        }
    }

    /** Waits until nothing listens on {@code port} of loopback any more (a killed process's socket is released). */
    private static void awaitPortFree(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
                return;
            } catch (IOException stillHeld) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("port " + port + " is still held by another process (" + stillHeld.getMessage()
                            + ")", stillHeld);
                }
                Thread.sleep(100);
            }
        }
    }

    private static String within(Duration window) {
        return window.equals(Duration.ofMinutes(1)) ? "a minute" : window.toSeconds() + " s";
    }

    private void giveUp(String name, String why) {
        Spec spec = specs.get(name);
        ChildProcess last = children.get(name);
        if (last != null) {
            last.kill(); // no orphan is left serving when the stack gives up
        }
        System.err.println("[local] " + why + "; the stack cannot work without " + spec.service() + " (log: "
                + spec.log() + ")");
        listener.gaveUp(name, why);
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

    /** The class folder or jar a class was loaded from. */
    private static String codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The lowest port tried by {@link #freePort}: above the well-known and most registered ones. */
    private static final int LOWEST_PORT = 10_000;

    /**
     * A free loopback port for a child that is told its port (S3Mock, moto, the gateway), which binds it seconds
     * later. Taken from below the kernel's ephemeral range ({@code /proc/sys/net/ipv4/ip_local_port_range}): a port
     * from inside it, as binding port 0 gives, can be handed out again to the next process that binds port 0, and the
     * Node emulators do so while S3Mock is still starting, and S3 requests could then reach another emulator (the
     * likely cause of an HTTP 400 on an environment's first HeadBucket, seen once in CI). Port 0 where the range
     * cannot be read.
     */
    static int freePort() throws IOException {
        java.net.InetAddress loopback = java.net.InetAddress.getLoopbackAddress();
        int below = ephemeralRangeStart();
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; below > LOWEST_PORT && attempt < 100; attempt++) {
            int port = random.nextInt(LOWEST_PORT, below);
            try (ServerSocket socket = new ServerSocket(port, 1, loopback)) {
                return port;
            } catch (IOException taken) {
                // in use: another
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
            return socket.getLocalPort();
        }
    }

    /** The first port of the kernel's ephemeral range, or 0 when it cannot be read (not Linux). */
    private static int ephemeralRangeStart() {
        try {
            // readAllLines: Files.readString reads a procfs file, whose size says 0, only in part
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
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
        for (String name : specs.keySet()) {
            ChildProcess c = children.get(name);
            if (c != null) {
                pids.add(c.pid());
            }
        }
        return pids;
    }

    @Override
    public void close() {
        closing = true;
        children.values().parallelStream().forEach(ChildProcess::close);
    }
}

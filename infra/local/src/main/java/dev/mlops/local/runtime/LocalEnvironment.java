package dev.mlops.local.runtime;

import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.core.Json;
import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.local.emulators.Emulators;
import dev.mlops.local.template.SamRoles;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole stack of template.yaml running on this machine: emulators started (and started again if one dies),
 * the bucket, tables and state machine created as declared, the five functions hosted in this JVM with their
 * environment, the HTTP API and Lambda Invoke endpoint served, S3 notifications delivered (with retries and a
 * dead-letter queue), EventBridge's PutEvents routed to the rules the template declares ({@link LocalEventBus}),
 * Step Functions' execution status changes among them. At start-up the runs are reconciled with their executions
 * (a run left RUNNING by a stack that was killed is ended with its execution's status and cause).
 * One per data folder ({@code home}): a file lock keeps a second one from sharing it.
 */
public final class LocalEnvironment implements AutoCloseable {

    /**
     * How to run the stack.
     *
     * @param template        the template (template.yaml of the project, or a copy a test changed)
     * @param iam             enforce each function's IAM policies ({@code --no-iam}: off)
     * @param backend         what plays S3 and DynamoDB
     * @param scheduleSpeedup how many times faster than the template says schedules fire (1: as written)
     */
    public record Options(Path template, boolean iam, Emulators.Backend backend, double scheduleSpeedup) {

        /**
         * The project's template, IAM on, S3Mock and dynalite, schedules as written; {@code -Dmlops.iam=false} and
         * {@code -Dmlops.schedule.speedup=N} change the defaults (tests, benchmarks).
         */
        public static Options defaults(Path projectRoot) {
            return new Options(projectRoot.resolve("template.yaml"),
                    !"false".equals(System.getProperty("mlops.iam")), Emulators.Backend.EMULATORS,
                    Double.parseDouble(System.getProperty("mlops.schedule.speedup", "1")));
        }

        public Options withTemplate(Path file) {
            return new Options(file, iam, backend, scheduleSpeedup);
        }

        public Options withIam(boolean on) {
            return new Options(template, on, backend, scheduleSpeedup);
        }

        public Options withBackend(Emulators.Backend b) {
            return new Options(template, iam, b, scheduleSpeedup);
        }

        public Options withScheduleSpeedup(double speedup) {
            if (!(speedup >= 1)) {
                throw new IllegalArgumentException("the schedule speed-up must be at least 1, not " + speedup);
            }
            return new Options(template, iam, backend, speedup);
        }
    }

    /** Lambda waits about a minute, then two, between the attempts of an asynchronous event; locally, seconds. */
    static final List<Duration> DELIVERY_BACKOFF = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final StackModel model;
    private final Path home;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<AutoCloseable> started = new ArrayList<>();
    private volatile RuntimeInfo info;
    private final Map<String, FunctionHost> hostsByName = new ConcurrentHashMap<>();
    private final LocalClients clients;
    private final LocalIam iam;
    private LocalScheduler scheduler;
    private final FaultInjection faults = new FaultInjection();
    private final Emulators emulators;
    private final DeliveryState deliveries;
    private final FunctionOutput functionOutput;
    private final List<Consumer<String>> fatalListeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-housekeeping");
        t.setDaemon(true);
        return t;
    });

    private LocalEnvironment(Path projectRoot, Path home, Options options) throws IOException {
        this.model = StackModel.load(options.template());
        this.home = home;
        Files.createDirectories(home);
        this.lockChannel = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another local environment is using " + home + " (./mlops local down stops it)");
        }
        this.deliveries = DeliveryState.of(home);
        FaultInjection.fromProperty(System.getProperty("mlops.faults")).forEach(faults::inject);
        try {
            this.iam = options.iam() ? iamFromTemplate(model, home) : LocalIam.off();
        } catch (IOException | RuntimeException failed) {
            lock.release();
            lockChannel.close();
            throw failed;
        }
        try {
            this.functionOutput = FunctionOutput.open(FunctionOutput.logFile(home));
            HttpFront front = new HttpFront(0, hostsByName, model);
            started.add(front);
            URI local = URI.create("http://127.0.0.1:" + front.port());
            // The event bus first: the Step Functions facade reports the executions it finds interrupted at once.
            Map<String, FunctionHost> byLogicalId = new ConcurrentHashMap<>();
            LocalEventBus bus = new LocalEventBus(model, byLogicalId, home.resolve("logs").resolve("events"));
            started.add(0, bus);
            String events = "http://127.0.0.1:" + bus.port();
            // ECS for the training state machine's container path (ecs:runTask.sync): tasks run as processes.
            LocalContainerTasks containerTasks = new LocalContainerTasks(model.taskDefinitions(),
                    home.resolve("logs").resolve("ecs"));
            started.add(0, containerTasks);
            this.emulators = Emulators.start(projectRoot, home, new Emulators.Options(local, URI.create(events),
                    iam.principalsFile(), iam.usageFile(), options.backend(),
                    URI.create("http://127.0.0.1:" + containerTasks.port())));
            started.add(0, emulators);
            Emulators.Endpoints e = emulators.endpoints();
            // The runtime's own clients go straight to the emulators; the functions' through the gateway (IAM).
            this.clients = new LocalClients(e.s3().toString(), e.dynamodb().toString(), e.stepFunctions().toString(),
                    events);
            containerTasks.wiring(clients.environment());
            String gateway = e.gateway().toString();
            LocalClients throughGateway = new LocalClients(gateway, gateway, gateway, gateway);
            // Each state machine runs as its role: Step Functions signs the calls of its executions with its key.
            Provisioner.provision(model, clients, m -> iam.roleArn(m.logicalId()).orElse(Provisioner.roleArn(m)));
            for (StackModel.Function f : model.functions()) {
                Map<String, String> env = new LinkedHashMap<>(f.environment());
                env.putAll(throughGateway.environment());
                iam.credentials(f.logicalId()).ifPresent(c -> {
                    env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
                    env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
                });
                env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
                FunctionHost host = new FunctionHost(f, env, faults, functionOutput);
                hostsByName.put(f.name(), host);
                byLogicalId.put(f.logicalId(), host);
            }
            this.scheduler = new LocalScheduler(model, byLogicalId, options.scheduleSpeedup(),
                    home.resolve("logs").resolve("events"));
            started.add(0, scheduler);
            // In the background: it must not hold up the start, and it races with nothing (it ends only runs whose
            // execution ended, or was never started for 15 minutes).
            housekeeping.execute(Surviving.of("reconciling runs", () -> reconcileRuns("at start-up")));
            Map<String, Integer> attempts = new LinkedHashMap<>();
            model.s3Triggers().forEach(t -> attempts.put(t.functionId(), model.asyncAttempts(t.functionId())));
            S3Notifications notifications = new S3Notifications(clients.s3(), model.s3Triggers(), byLogicalId,
                    attempts, DELIVERY_BACKOFF, deliveries, home.resolve("s3-notifications.json"),
                    letter -> housekeeping.execute(Surviving.of("recording dead letters", this::recordDeadLetterOutcomes)));
            notifications.start();
            started.add(0, notifications);
            // Dead letters whose outcome could not be recorded (DynamoDB was what failed) are recorded once it answers.
            housekeeping.scheduleWithFixedDelay(Surviving.of("recording dead letters", this::recordDeadLetterOutcomes),
                    0, 2, TimeUnit.SECONDS);
            this.info = new RuntimeInfo(ProcessHandle.current().pid(), local.toString(), local.toString(),
                    e.s3().toString(), e.dynamodb().toString(), e.stepFunctions().toString(), emulators.pids(),
                    emulators.startMillis(), scheduler.start().toString(), events, gateway, iam.enforced(),
                    options.scheduleSpeedup());
            info.write(home);
            emulators.restartDelay(restartDelayFromProperty(emulators.restartDelay()));
            emulators.listener(new Emulators.Listener() {
                @Override
                public void restarted(String name) {
                    publishPids();
                    if (name.equals("stepfunctions")) {
                        // Its interrupted executions are reported as events; the sweep is the safety net.
                        housekeeping.schedule(Surviving.of("reconciling runs",
                                () -> reconcileRuns("after Step Functions restarted")), 3, TimeUnit.SECONDS);
                    }
                }

                @Override
                public void gaveUp(String name, String why) {
                    fatalListeners.forEach(l -> l.accept(why));
                }
            });
        } catch (IOException | RuntimeException failed) {
            close();
            throw failed;
        }
    }

    /** Starts the stack of {@code projectRoot/template.yaml} with its data in {@code home}, with the default options. */
    public static LocalEnvironment start(Path projectRoot, Path home) throws IOException {
        return start(projectRoot, home, Options.defaults(projectRoot));
    }

    /** Starts the stack with its data in {@code home}. */
    public static LocalEnvironment start(Path projectRoot, Path home, Options options) throws IOException {
        return new LocalEnvironment(projectRoot, home, options);
    }

    /**
     * IAM as the template grants it. Where python3 lacks the SAM translator the stack still starts, unenforced, and
     * says so once on stderr (a newcomer's two commands need only a JDK, Maven and Node.js); the tests set
     * {@code -Dmlops.iam.required=true}, so in CI a missing translator fails instead of silently testing less.
     */
    private static LocalIam iamFromTemplate(StackModel model, Path home) throws IOException {
        try {
            return LocalIam.enforce(model, home);
        } catch (SamRoles.TranslatorMissing missing) {
            if (Boolean.getBoolean("mlops.iam.required")) {
                throw missing;
            }
            System.err.println("[local] IAM NOT enforced: " + missing.getMessage());
            return LocalIam.off();
        }
    }

    /** {@code -Dmlops.emulators.restartDelay=PT20S}: how long a dead emulator stays down (fault-injection tests). */
    private static Duration restartDelayFromProperty(Duration fallback) {
        String value = System.getProperty("mlops.emulators.restartDelay");
        return value == null ? fallback : Duration.parse(value);
    }

    /**
     * Ends the runs whose execution ended where no pipeline step could record it, through the registry function's
     * {@code reconcile_runs} action (the same code the status change events reach). Runs whose execution was never
     * started are left for 15 minutes, the ingest function's timeout: their ingestion may be about to start it.
     */
    private void reconcileRuns(String when) {
        FunctionHost registry = hostsByName.get(model.function("RegistryFunction").name());
        FunctionHost.Result result = registry.invoke("{\"action\":\"reconcile_runs\"}".getBytes(StandardCharsets.UTF_8));
        if (result.failed()) {
            System.err.println("[local] reconciling runs " + when + " failed: " + result.error().summary());
            return;
        }
        try {
            for (var r : Json.MAPPER.readTree(result.payload()).path("runs")) {
                System.err.println("[local] run " + r.path("run_id").asText() + " reconciled " + when + ": "
                        + r.path("status").asText() + " (" + r.path("reason").asText() + ")");
            }
        } catch (IOException e) {
            System.err.println("[local] reconciling runs " + when + ": unreadable answer: " + e.getMessage());
        }
    }

    /**
     * Records FAILED_DELIVERY for each dead-lettered upload the ingest function could not record itself (when what
     * failed was the catalog). On AWS the message waits in the queue and its alarm fires; locally, the outcome is
     * recorded as soon as DynamoDB answers again.
     */
    private synchronized void recordDeadLetterOutcomes() {
        List<DeliveryState.DeadLetter> pending;
        try {
            pending = deliveries.deadLetters().stream().filter(d -> !d.outcomeRecorded()).toList();
        } catch (RuntimeException e) {
            return;
        }
        if (pending.isEmpty()) {
            return;
        }
        DynamoDatasetCatalog catalog = new DynamoDatasetCatalog(clients.dynamoDb(), model.tableName("DatasetsTable"),
                model.tableName("UploadsTable"));
        for (DeliveryState.DeadLetter letter : pending) {
            try {
                Optional<UploadOutcome> now = catalog.findUpload(letter.key(), letter.versionId());
                if (now.isEmpty() || now.get().status() == dev.mlops.core.domain.UploadStatus.RETRYING) {
                    catalog.recordUpload(IngestionService.failedDelivery(letter.key(), letter.versionId(),
                            letter.attempts(), letter.error(), Instant.now()));
                }
                deliveries.outcomeRecorded(letter.id());
            } catch (RuntimeException stillDown) {
                return; // the next round tries again
            }
        }
    }

    private void publishPids() {
        try {
            RuntimeInfo now = info;
            info = new RuntimeInfo(now.pid(), now.apiUrl(), now.lambdaUrl(), now.s3(), now.dynamodb(),
                    now.stepFunctions(), emulators.pids(), now.emulatorStartMillis(), now.startedAt(), now.events(),
                    now.gateway(), now.iamEnforced(), now.scheduleSpeedup());
            info.write(home);
        } catch (IOException e) {
            System.err.println("[local] cannot update " + RuntimeInfo.file(home) + ": " + e.getMessage());
        }
    }

    /** Called with the reason when an emulator is gone for good (the stack cannot go on without it). */
    public void onFatal(Consumer<String> listener) {
        fatalListeners.add(listener);
    }

    public RuntimeInfo info() {
        return info;
    }

    public StackModel model() {
        return model;
    }

    /** The data folder: emulator data, logs, and the runtime file other commands find it by. */
    public Path home() {
        return home;
    }

    /** SDK clients pointed at this environment's emulators. */
    public LocalClients clients() {
        return clients;
    }

    /** The emulators, supervised (fault-injection tests kill them and set how long they stay down). */
    public Emulators emulators() {
        return emulators;
    }

    /** The template's schedules, firing (the next firing of each). */
    public LocalScheduler schedules() {
        return scheduler;
    }

    /** IAM as enforced for this stack (keys, principals, where the usage of grants is counted). */
    public LocalIam iam() {
        return iam;
    }

    /** Faults to inject into the functions' invocations (fault-injection tests). */
    public FaultInjection faults() {
        return faults;
    }

    /** The S3 deliveries and the dead-letter queue of this stack. */
    public DeliveryState deliveries() {
        return deliveries;
    }

    /**
     * With {@code -Dmlops.iam.usageDir=DIR} (the integration tests), keeps a copy of which statements allowed which
     * calls, so that a whole test run's grants can be counted (benchmarks/iam_usage.py).
     */
    private void keepIamUsage() {
        String dir = System.getProperty("mlops.iam.usageDir");
        if (dir == null || dir.isBlank() || iam == null || !iam.enforced() || !Files.exists(iam.usageFile())) {
            return;
        }
        try {
            Files.createDirectories(Path.of(dir));
            Files.copy(iam.usageFile(), Path.of(dir).resolve("iam-usage-" + home.getFileName() + "-"
                    + System.nanoTime() + ".json"));
        } catch (IOException e) {
            System.err.println("[local] cannot keep the IAM usage: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        // The functions next, while the emulators they write to still run (Lambda's shutdown phase).
        hostsByName.values().forEach(FunctionHost::close);
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("[local] stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        started.clear();
        hostsByName.values().forEach(FunctionHost::killRemaining);
        if (functionOutput != null) {
            functionOutput.close();
        }
        keepIamUsage();
        try {
            Files.deleteIfExists(RuntimeInfo.file(home));
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            System.err.println("[local] " + e.getMessage());
        }
    }
}

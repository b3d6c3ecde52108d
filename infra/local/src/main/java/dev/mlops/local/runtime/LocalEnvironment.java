package dev.mlops.local.runtime;

import dev.mlops.local.emulators.Emulators;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The whole stack of template.yaml running on this machine: emulators started, the bucket, tables
 * and state machine created as declared, the five functions hosted in this JVM with their
 * environment, the HTTP API and Lambda Invoke endpoint served, S3 notifications delivered,
 * EventBridge's PutEvents routed to the rules the template declares ({@link LocalEventBus}).
 * One per data folder ({@code home}): a file lock keeps a second one from sharing it.
 */
public final class LocalEnvironment implements AutoCloseable {

    private final StackModel model;
    private final Path home;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final RuntimeInfo info;
    private final Map<String, FunctionHost> hostsByName = new ConcurrentHashMap<>();
    private final LocalClients clients;

    private LocalEnvironment(Path projectRoot, Path home) throws IOException {
        this.model = StackModel.load(projectRoot.resolve("template.yaml"));
        this.home = home;
        Files.createDirectories(home);
        this.lockChannel = FileChannel.open(home.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another local environment is using " + home + " (./mlops local down stops it)");
        }
        try {
            HttpFront front = new HttpFront(0, hostsByName, model.httpRoutes());
            started.add(front);
            URI local = URI.create("http://127.0.0.1:" + front.port());
            Emulators emulators = Emulators.start(projectRoot, home, local);
            started.add(0, emulators);
            Emulators.Endpoints e = emulators.endpoints();
            Map<String, FunctionHost> byLogicalId = new ConcurrentHashMap<>();
            LocalEventBus bus = new LocalEventBus(model, byLogicalId, home.resolve("logs").resolve("events"));
            started.add(0, bus);
            String events = "http://127.0.0.1:" + bus.port();
            this.clients = new LocalClients(e.s3().toString(), e.dynamodb().toString(), e.stepFunctions().toString(),
                    events);
            Provisioner.provision(model, clients);
            for (StackModel.Function f : model.functions()) {
                Map<String, String> env = new LinkedHashMap<>(f.environment());
                env.putAll(clients.environment());
                env.put("AWS_LAMBDA_FUNCTION_NAME", f.name());
                FunctionHost host = new FunctionHost(f, env);
                hostsByName.put(f.name(), host);
                byLogicalId.put(f.logicalId(), host);
            }
            S3Notifications notifications = new S3Notifications(clients.s3(), model.s3Triggers(), byLogicalId,
                    home.resolve("s3-notifications.json"));
            notifications.start();
            started.add(0, notifications);
            this.info = new RuntimeInfo(ProcessHandle.current().pid(), local.toString(), local.toString(),
                    e.s3().toString(), e.dynamodb().toString(), e.stepFunctions().toString(), emulators.pids(),
                    emulators.startMillis(), Instant.now().toString(), events);
            info.write(home);
        } catch (IOException | RuntimeException failed) {
            close();
            throw failed;
        }
    }

    /** Starts the stack of {@code projectRoot/template.yaml} with its data in {@code home}. */
    public static LocalEnvironment start(Path projectRoot, Path home) throws IOException {
        return new LocalEnvironment(projectRoot, home);
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

    @Override
    public void close() {
        for (AutoCloseable c : started) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("[local] stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        started.clear();
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

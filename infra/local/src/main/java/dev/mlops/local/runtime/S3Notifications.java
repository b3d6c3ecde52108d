package dev.mlops.local.runtime;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.local.template.StackModel;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3 event notifications for the local stack. S3Mock does not emit notifications, so this watches
 * the prefixes that template.yaml's S3 events filter on and, for every object that appears (or
 * changes: a new ETag), invokes the bound function asynchronously with the real event, retrying a
 * failed invocation twice as Lambda does for asynchronous invokes. What was delivered is kept on disk,
 * so an object uploaded while nothing was running is delivered at the next start.
 * Differences from AWS: delivery latency is the poll interval; a delete is not notified.
 */
public final class S3Notifications implements AutoCloseable {

    private static final ObjectMapper JSON = dev.mlops.core.Json.MAPPER;
    private static final long POLL_MILLIS = 250;
    private static final int ATTEMPTS = 3;

    private final S3Client s3;
    private final java.util.List<StackModel.S3Trigger> triggers;
    private final Map<String, FunctionHost> hostsByLogicalId;
    private final Path stateFile;
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(daemon("s3-delivery"));
    private final ExecutorService poller = Executors.newSingleThreadExecutor(daemon("s3-poller"));
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis());
    private volatile boolean running = true;

    public S3Notifications(S3Client s3, java.util.List<StackModel.S3Trigger> triggers,
                           Map<String, FunctionHost> hostsByLogicalId, Path stateFile) throws IOException {
        this.s3 = s3;
        this.triggers = triggers;
        this.hostsByLogicalId = hostsByLogicalId;
        this.stateFile = stateFile;
        if (Files.exists(stateFile)) {
            delivered.addAll(JSON.readValue(stateFile.toFile(), new TypeReference<Set<String>>() { }));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    public void start() {
        poller.submit(() -> {
            while (running) {
                try {
                    pollOnce();
                } catch (RuntimeException e) {
                    if (running) {
                        System.err.println("[s3-notifications] poll failed: " + e.getMessage());
                    }
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private void pollOnce() {
        for (StackModel.S3Trigger trigger : triggers) {
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(trigger.bucket()).prefix(trigger.prefix()))) {
                for (S3Object object : page.contents()) {
                    String identity = trigger.functionId() + " " + trigger.bucket() + " " + object.key() + " " + object.eTag();
                    if (trigger.matches(object.key()) && !delivered.contains(identity) && inFlight.add(identity)) {
                        delivery.submit(() -> {
                            boolean handled = false;
                            try {
                                deliver(trigger, object);
                                handled = running;
                            } catch (RuntimeException e) {
                                System.err.println("[s3-notifications] cannot deliver " + object.key() + ": " + e.getMessage());
                            } finally {
                                // Recorded only once handled while the stack was up: an event cut off by a
                                // crash or a shutdown is delivered again at the next start (at least once,
                                // as S3 does; ingestion is idempotent).
                                if (handled) {
                                    delivered.add(identity);
                                    persist();
                                }
                                inFlight.remove(identity);
                            }
                        });
                    }
                }
            }
        }
    }

    private void deliver(StackModel.S3Trigger trigger, S3Object object) {
        String versionId = s3.headObject(b -> b.bucket(trigger.bucket()).key(object.key())).versionId();
        byte[] event = Events.s3ObjectCreated(trigger.functionId() + "-S3", trigger.bucket(), object.key(),
                object.size(), object.eTag(), versionId, sequencer.incrementAndGet());
        FunctionHost host = hostsByLogicalId.get(trigger.functionId());
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            FunctionHost.Result result = host.invoke(event);
            if (!result.failed()) {
                return;
            }
            System.err.println("[s3-notifications] " + trigger.functionId() + " failed on " + object.key() + " (attempt "
                    + attempt + "/" + ATTEMPTS + "): " + result.error().errorType() + ": " + result.error().errorMessage());
        }
    }

    private synchronized void persist() {
        try {
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), new java.util.TreeSet<>(delivered));
            Files.move(tmp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("[s3-notifications] cannot record deliveries: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        poller.shutdownNow();
        delivery.shutdown();
        try {
            // Let an invocation in flight finish: a half-run ingestion is what we must not leave behind.
            delivery.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

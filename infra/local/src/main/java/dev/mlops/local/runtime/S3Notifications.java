package dev.mlops.local.runtime;

import dev.mlops.local.template.StackModel;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3 event notifications for the local stack. S3Mock emits none, so this watches the prefixes that
 * template.yaml's S3 events filter on and, for every new version of an object that matches (a re-upload of the
 * same bytes to the same key is a new version, as on S3), invokes the bound function asynchronously with the
 * real event, as Lambda does for S3: the first attempt and {@code MaximumRetryAttempts} retries (template.yaml's
 * {@code EventInvokeConfig}) with a backoff between them, then the event goes to the dead-letter queue
 * ({@link DeliveryState}), the local counterpart of the function's on-failure destination.
 *
 * <p>Robust against what broke it before: listings ask for {@code encoding-type=url} (S3Mock's XML cannot carry a
 * key with a control character otherwise; the SDK decodes the keys), a key that cannot be read is skipped with one
 * line and never holds up the others, deliveries run on their own threads, and an object is delivered only once
 * it has been listed unchanged twice and its HEAD agrees (an upload still being written is not delivered).
 * What was handled is kept on disk, so an object uploaded while nothing was running is delivered at the next
 * start. Every version of an object gets its event, however close together they were uploaded (the versions newer
 * than the newest one delivered are listed). Differences from AWS: delivery latency is about two poll intervals; a
 * delete is not notified; for a key holding a control character (which S3Mock can list only URL-encoded, and whose
 * versions it cannot list that way) versions uploaded between two polls are seen as the newest only.
 */
public final class S3Notifications implements AutoCloseable {

    /** Told about every event that goes to the dead-letter queue. */
    public interface DeadLetterListener {
        void deadLettered(DeliveryState.DeadLetter letter);
    }

    private static final long POLL_MILLIS = 250;

    private final S3Client s3;
    private final List<StackModel.S3Trigger> triggers;
    private final Map<String, FunctionHost> hostsByLogicalId;
    private final Map<String, Integer> attemptsByFunction;
    private final List<Duration> backoff;
    private final DeliveryState state;
    private final DeadLetterListener listener;
    private final Set<String> handled = ConcurrentHashMap.newKeySet();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** What each object looked like at the last poll ({@code etag size lastModified}), to see it settle. */
    private final Map<String, String> lastSeen = new ConcurrentHashMap<>();
    /** What each object looked like when its current version was found handled: unchanged means nothing to do. */
    private final Map<String, String> done = new ConcurrentHashMap<>();
    /** Problems already reported, so that one broken key or a dead emulator is one line, not four a second. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Set<String> legacy = ConcurrentHashMap.newKeySet();
    private final java.nio.file.Path legacyState;
    private final ScheduledExecutorService delivery = Executors.newScheduledThreadPool(4, daemon("s3-delivery"));
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("s3-poller"));
    private final AtomicLong sequencer = new AtomicLong(System.currentTimeMillis());
    private volatile boolean running = true;

    /**
     * @param attemptsByFunction each function's attempts per event (1 + its {@code MaximumRetryAttempts})
     * @param backoff            the waits before the second, third, ... attempt (the last one repeats)
     * @param legacyState        the delivery file of an older runtime ({@code function bucket key etag} lines), whose
     *                           objects count as delivered at their current version; may not exist
     */
    public S3Notifications(S3Client s3, List<StackModel.S3Trigger> triggers, Map<String, FunctionHost> hostsByLogicalId,
                           Map<String, Integer> attemptsByFunction, List<Duration> backoff, DeliveryState state,
                           java.nio.file.Path legacyState, DeadLetterListener listener) throws IOException {
        this.s3 = s3;
        this.triggers = triggers;
        this.hostsByLogicalId = hostsByLogicalId;
        this.attemptsByFunction = attemptsByFunction;
        this.backoff = backoff;
        this.state = state;
        this.listener = listener;
        this.handled.addAll(state.handled());
        this.legacyState = legacyState;
        if (legacyState != null && java.nio.file.Files.exists(legacyState)) {
            legacy.addAll(dev.mlops.core.Json.MAPPER.readValue(legacyState.toFile(),
                    new com.fasterxml.jackson.core.type.TypeReference<Set<String>>() { }));
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
        poller.scheduleWithFixedDelay(Surviving.of("watching S3 for uploads", () -> {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                reportOnce("poll", "[s3-notifications] watching paused: " + e.getMessage()
                        + " (it resumes when S3 answers)");
            }
        }), 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        for (StackModel.S3Trigger trigger : triggers) {
            Set<String> listed = new HashSet<>();
            for (var page : s3.listObjectsV2Paginator(b -> b.bucket(trigger.bucket()).prefix(trigger.prefix())
                    .encodingType(EncodingType.URL))) {
                for (S3Object object : page.contents()) {
                    if (!trigger.matches(object.key())) {
                        continue;
                    }
                    String where = trigger.functionId() + " " + trigger.bucket() + " " + object.key();
                    listed.add(where);
                    try {
                        consider(trigger, object, where);
                    } catch (RuntimeException e) {
                        // One key that cannot be read must not hold up any other.
                        reportOnce(where, "[s3-notifications] skipping " + printable(object.key()) + " for now: "
                                + e.getMessage());
                    }
                }
            }
            reported.remove("poll");
            String scope = trigger.functionId() + " " + trigger.bucket() + " ";
            lastSeen.keySet().removeIf(k -> k.startsWith(scope) && !listed.contains(k));
            done.keySet().removeIf(k -> k.startsWith(scope) && !listed.contains(k));
        }
        retireLegacy();
    }

    /** After one full poll every object an older runtime delivered has been carried over: its file is retired. */
    private void retireLegacy() {
        if (legacyState == null || !java.nio.file.Files.exists(legacyState)) {
            return;
        }
        legacy.clear();
        try {
            java.nio.file.Files.move(legacyState, legacyState.resolveSibling(legacyState.getFileName() + ".migrated"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            reportOnce("legacy", "[s3-notifications] cannot retire " + legacyState + ": " + e.getMessage());
        }
    }

    private void consider(StackModel.S3Trigger trigger, S3Object object, String where) {
        String look = object.eTag() + " " + object.size() + " " + object.lastModified();
        if (look.equals(done.get(where))) {
            return; // its current version was handled, and it has not changed since
        }
        String before = lastSeen.put(where, look);
        if (legacy.remove(where + " " + object.eTag())) {
            // Delivered by an older runtime (which kept key and ETag only): the version there now counts as delivered.
            String id = identity(trigger, object.key(), head(trigger, object.key(), null).versionId());
            handled.add(id);
            state.delivered(id);
            done.put(where, look);
            return;
        }
        if (!look.equals(before)) {
            return; // new or changed since the last poll: wait until it has settled
        }
        HeadObjectResponse head = head(trigger, object.key(), null);
        if (!Objects.equals(head.contentLength(), object.size()) || !Objects.equals(head.eTag(), object.eTag())) {
            return; // still changing: the next poll looks again
        }
        List<ObjectVersion> pending = undelivered(trigger, object, head.versionId());
        if (pending.isEmpty()) {
            done.put(where, look);
            return;
        }
        for (ObjectVersion version : pending) {
            String id = identity(trigger, object.key(), version.versionId());
            if (inFlight.add(id)) {
                byte[] event = Events.s3ObjectCreated(trigger.functionId() + "-S3", trigger.bucket(), object.key(),
                        version.size(), version.eTag(), version.versionId(), sequencer.incrementAndGet());
                delivery.execute(() -> attemptSurviving(trigger, object.key(), version.versionId(), id, event, 1));
            }
        }
    }

    /**
     * The versions of an object not delivered yet, oldest first: every version newer than the newest one delivered
     * (S3 lists versions newest first), so uploads to one key between two polls each get their event, as on S3.
     */
    private List<ObjectVersion> undelivered(StackModel.S3Trigger trigger, S3Object object, String currentVersion) {
        if (currentVersion == null || "null".equals(currentVersion) || hasControlCharacter(object.key())) {
            // A bucket without versioning, or a key whose versions S3Mock cannot list: only what is there now.
            ObjectVersion only = ObjectVersion.builder().key(object.key()).versionId(currentVersion).size(object.size())
                    .eTag(object.eTag()).build();
            return handled.contains(identity(trigger, object.key(), currentVersion)) ? List.of() : List.of(only);
        }
        List<ObjectVersion> newer = new ArrayList<>();
        // No encoding-type=url here: S3Mock's version listing looks the URL-encoded key up and answers 500 for any key
        // that encoding changes (a space, a parenthesis). Keys without control characters travel in its XML as they are.
        for (var page : s3.listObjectVersionsPaginator(b -> b.bucket(trigger.bucket()).prefix(object.key()))) {
            for (ObjectVersion version : page.versions()) {
                if (!version.key().equals(object.key())) {
                    continue; // another key that starts with this one
                }
                if (handled.contains(identity(trigger, object.key(), version.versionId()))) {
                    Collections.reverse(newer);
                    return newer;
                }
                newer.add(version);
            }
        }
        Collections.reverse(newer);
        return newer;
    }

    /** Whether a key holds a character that S3Mock's XML cannot carry unless URL-encoded. */
    private static boolean hasControlCharacter(String key) {
        return key.codePoints().anyMatch(Character::isISOControl);
    }

    private HeadObjectResponse head(StackModel.S3Trigger trigger, String key, String versionId) {
        return s3.headObject(b -> b.bucket(trigger.bucket()).key(key).versionId(versionId));
    }

    private static String identity(StackModel.S3Trigger trigger, String key, String versionId) {
        return trigger.functionId() + " " + trigger.bucket() + " " + key + " " + versionId;
    }

    /**
     * One attempt, whatever it throws: a delivery that failed in the runtime itself (not in the function) is
     * released, so the next poll delivers the version again (at least once).
     */
    private void attemptSurviving(StackModel.S3Trigger trigger, String key, String versionId, String id,
                                  byte[] event, int attempt) {
        try {
            attempt(trigger, key, versionId, id, event, attempt);
        } catch (Throwable t) {
            Surviving.failed("delivering S3 events", t);
            inFlight.remove(id);
        }
    }

    private void attempt(StackModel.S3Trigger trigger, String key, String versionId, String id, byte[] event,
                         int attempt) {
        if (!running) {
            inFlight.remove(id); // cut off by a shutdown: delivered again at the next start (at least once)
            return;
        }
        FunctionHost host = hostsByLogicalId.get(trigger.functionId());
        FunctionHost.Result result = host.invoke(event);
        if (!result.failed()) {
            if (running) {
                handled.add(id);
                state.delivered(id);
            }
            inFlight.remove(id);
            return;
        }
        int attempts = attemptsByFunction.getOrDefault(trigger.functionId(), 3);
        System.err.println("[s3-notifications] " + trigger.functionId() + " failed on " + printable(key) + " (attempt "
                + attempt + "/" + attempts + "): " + result.error().summary());
        if (attempt < attempts && running) {
            Duration wait = backoff.get(Math.min(attempt - 1, backoff.size() - 1));
            delivery.schedule(() -> attemptSurviving(trigger, key, versionId, id, event, attempt + 1), wait.toMillis(),
                    TimeUnit.MILLISECONDS);
            return;
        }
        if (!running) {
            inFlight.remove(id);
            return;
        }
        try {
            DeliveryState.DeadLetter letter = new DeliveryState.DeadLetter(id, trigger.functionId(), key, versionId,
                    attempts, Instant.now(), DeliveryState.destinationMessage(host.function().arn(), attempts, event,
                    result.error()), false);
            state.deadLettered(letter);
            handled.add(id);
            System.err.println("[s3-notifications] " + printable(key) + " failed " + attempts + " times: in the"
                    + " dead-letter queue (./mlops datasets redrive replays it)");
            listener.deadLettered(letter);
        } catch (IOException | RuntimeException e) {
            System.err.println("[s3-notifications] cannot dead-letter " + printable(key) + ": " + e.getMessage());
        } finally {
            inFlight.remove(id);
        }
    }

    private void reportOnce(String what, String line) {
        if (running && reported.add(what)) {
            System.err.println(line);
        }
    }

    /** A key as one printable line: control characters as \\uXXXX. */
    static String printable(String key) {
        StringBuilder s = new StringBuilder();
        key.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                s.append(String.format("\\u%04x", c));
            } else {
                s.appendCodePoint(c);
            }
        });
        return s.toString();
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

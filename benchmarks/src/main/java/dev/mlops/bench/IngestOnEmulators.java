package dev.mlops.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.mlops.aws.DynamoDatasetCatalog;
import dev.mlops.core.data.CsvStream;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.local.runtime.LocalEnvironment;
import software.amazon.awssdk.core.sync.RequestBody;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.InputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A large upload through the ingest function on the local emulators, the way a user's upload goes: the file is
 * put in the bucket with the S3 API (S3Mock) and copied under incoming/, the local runtime delivers the S3 event
 * to the ingest function
 * (hosted in this JVM, so this JVM's -Xmx is the function's heap), which streams the object back from S3Mock,
 * validates and profiles it, and writes its reports and record. Prints the time from the end of the upload to
 * the dataset record, and the heap this JVM used meanwhile. The process exits as soon as the record is there
 * (a valid upload starts the training pipeline, which is not measured here).
 *
 * <pre>
 *   java -Xmx1769m -XX:TieredStopAtLevel=4 -Dmlops.root=$PWD \
 *        -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
 *        dev.mlops.bench.IngestOnEmulators FILE
 * </pre>
 */
public final class IngestOnEmulators {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath().normalize();
        Path home = Files.createTempDirectory("mlops-bench-ingest-");
        String version;
        try (InputStream in = Files.newInputStream(file)) {
            version = CsvStream.hash(in).sha256();
        }
        AtomicLong maxAfterGc = new AtomicLong();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                    long used = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo()
                            .getMemoryUsageAfterGc().values().stream().mapToLong(MemoryUsage::getUsed).sum();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        LocalEnvironment env = LocalEnvironment.start(root, home);
        String bucket = env.model().bucket().name();
        DynamoDatasetCatalog catalog = new DynamoDatasetCatalog(env.clients().dynamoDb(),
                env.model().tableName("DatasetsTable"));
        long upload0 = System.nanoTime();
        // Uploaded outside the trigger's prefix, then copied under it: the local S3 watcher lists an object while
        // S3Mock is still writing a long upload, and would hand the function a half-written file (on AWS the
        // event follows the completed upload). The copy is what the function sees, complete.
        String staging = "bench-staging/" + file.getFileName();
        env.clients().s3().putObject(b -> b.bucket(bucket).key(staging), RequestBody.fromFile(file));
        long staged = System.nanoTime();
        env.clients().s3().copyObject(b -> b.sourceBucket(bucket).sourceKey(staging).destinationBucket(bucket)
                .destinationKey("incoming/bench-large/" + file.getFileName()));
        long uploaded = System.nanoTime();
        // From here on, the heap is the function's: reset the peaks and the after-GC maximum.
        System.gc();
        maxAfterGc.set(0);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        Optional<DatasetVersion> recorded = Optional.empty();
        while (recorded.isEmpty()) {
            Thread.sleep(100);
            recorded = catalog.find("bench-large", version);
        }
        long done = System.nanoTime();
        long poolPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                poolPeak += pool.getPeakUsage().getUsed();
            }
        }
        DatasetVersion v = recorded.get();
        double seconds = (done - uploaded) / 1e9;
        long bytes = Files.size(file);
        System.out.printf(Locale.ROOT, "{\"bytes\": %d, \"rows\": %d, \"status\": \"%s\", \"errors\": %s, \"warnings\": %s,"
                        + " \"upload_s\": %.1f, \"copy_s\": %.1f, \"ingest_s\": %.1f, \"mb_per_s\": %.1f, \"max_heap_after_gc_mb\": %.1f,"
                        + " \"heap_pool_peak_mb\": %.1f, \"max_heap_mb\": %.0f}%n",
                bytes, v.rows(), v.status(), v.errors(), v.warnings(), (staged - upload0) / 1e9,
                (uploaded - staged) / 1e9, seconds,
                bytes / seconds / 1e6, maxAfterGc.get() / 1e6, poolPeak / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        System.out.flush();
        // Stop the emulators (they also stop when this JVM exits and their stdin closes), without waiting long
        // for the training run the upload started.
        Thread closer = new Thread(env::close);
        closer.setDaemon(true);
        closer.start();
        closer.join(30_000);
        // The emulators' data (the upload, twice) is not worth keeping.
        try (var files = Files.walk(home)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
        System.exit(0);
    }
}

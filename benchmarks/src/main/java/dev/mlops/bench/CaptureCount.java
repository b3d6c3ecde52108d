package dev.mlops.bench;

import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;

import java.nio.file.Path;

/**
 * Counts the captured requests of a model in a running local stack's bucket.
 *
 * <pre>
 *   java -cp ... dev.mlops.bench.CaptureCount MODEL MLOPS_HOME
 * </pre>
 */
public final class CaptureCount {

    private CaptureCount() {
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath();
        String bucket = StackModel.load(root.resolve("template.yaml")).bucket().name();
        LocalClients clients = LocalClients.of(RuntimeInfo.readLive(Path.of(args[1])).orElseThrow());
        long count = clients.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix("capture/" + args[0] + "/"))
                .contents().stream().count();
        System.out.println(count);
    }
}

package dev.mlops.bench;

import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints, as {@code export KEY='VALUE'} lines, the environment a function of template.yaml gets in a
 * running local stack ({@code ./mlops local up}): its template variables plus the emulator endpoints
 * and credentials, so a separate JVM can run the function as Lambda would.
 *
 * <pre>
 *   java -cp ... dev.mlops.bench.StackEnvironment FUNCTION_LOGICAL_ID [MLOPS_HOME]
 * </pre>
 */
public final class StackEnvironment {

    private StackEnvironment() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath();
        Path home = args.length > 1 ? Path.of(args[1]) : root.resolve(".mlops");
        StackModel model = StackModel.load(root.resolve("template.yaml"));
        StackModel.Function function = model.function(args[0]);
        Map<String, String> env = new LinkedHashMap<>(function.environment());
        env.putAll(LocalClients.of(RuntimeInfo.readLive(home).orElseThrow(() -> new IllegalStateException(
                "no local stack runs in " + home + ": start one with ./mlops local up"))).environment());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.remove("JAVA_TOOL_OPTIONS");
        env.forEach((k, v) -> System.out.println("export " + k + "='" + v.replace("'", "'\\''") + "'"));
    }
}

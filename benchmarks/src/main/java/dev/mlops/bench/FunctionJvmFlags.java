package dev.mlops.bench;

import dev.mlops.local.template.StackModel;

import java.nio.file.Path;

/**
 * Prints a function's {@code JAVA_TOOL_OPTIONS} from template.yaml (empty when it has none), so a benchmark's JVM
 * runs with the flags the function is deployed with:
 *
 * <pre>
 *   JAVA_TOOL_OPTIONS="$(java -Dmlops.root=$PWD -cp ... dev.mlops.bench.FunctionJvmFlags InferenceFunction)" java ...
 * </pre>
 */
public final class FunctionJvmFlags {

    private FunctionJvmFlags() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("mlops.root", ".")).toAbsolutePath();
        String flags = StackModel.load(root.resolve("template.yaml")).function(args[0]).environment()
                .getOrDefault("JAVA_TOOL_OPTIONS", "");
        System.out.println(flags.trim());
    }
}

package dev.mlops.local.runtime;

import dev.mlops.local.template.StackModel;

import java.util.ArrayList;
import java.util.List;

/**
 * What an execution environment may use, from its function's {@code MemorySize} and {@code Timeout}: the memory
 * its process may hold (the runtime kills it beyond that, as Lambda does), the JVM heap within it, the processors
 * its JVM sizes its threads for (Lambda gives one vCPU per 1,769 MB), and how long an invocation may run.
 */
record EnvironmentLimits(int memoryMb, int timeoutSeconds, int processors) {

    /** Lambda's memory for one full vCPU. */
    static final int MB_PER_VCPU = 1769;
    /** The share of the memory the heap may take; the rest is the JVM's own (metaspace, code, threads, GC). */
    static final double HEAP_SHARE = 0.85;

    static EnvironmentLimits of(StackModel.Function function) {
        int cpus = (int) Math.ceil(function.memorySize() / (double) MB_PER_VCPU);
        return new EnvironmentLimits(function.memorySize(), function.timeoutSeconds(),
                Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), cpus)));
    }

    long memoryBytes() {
        return memoryMb * 1024L * 1024L;
    }

    /** The JVM options that hold the environment to its limits (they come last, so nothing overrides them). */
    List<String> jvmOptions() {
        List<String> options = new ArrayList<>();
        options.add("-Xmx" + (int) (memoryMb * HEAP_SHARE) + "m");
        options.add("-XX:ActiveProcessorCount=" + processors);
        return options;
    }
}

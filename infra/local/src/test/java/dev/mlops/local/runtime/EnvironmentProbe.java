package dev.mlops.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler that does what its event asks, to probe an execution environment from inside: report what it sees
 * (its invocation count, process, variables, limits), print a line, sleep, hold heap or native memory, or fail.
 */
public final class EnvironmentProbe implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    private static final AtomicInteger INVOCATIONS = new AtomicInteger();
    private static final List<Object> HELD = new ArrayList<>();

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invocation", INVOCATIONS.incrementAndGet());
        out.put("pid", ProcessHandle.current().pid());
        out.put("memory_limit_mb", context.getMemoryLimitInMB());
        out.put("remaining_ms", context.getRemainingTimeInMillis());
        out.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        out.put("processors", Runtime.getRuntime().availableProcessors());
        Object variable = event.get("variable");
        if (variable != null) {
            out.put("value", String.valueOf(System.getenv(variable.toString())));
        }
        if (event.get("say") != null) {
            System.out.println(event.get("say"));
        }
        if (event.get("sleep_ms") instanceof Number ms) {
            try {
                Thread.sleep(ms.longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (event.get("heap_mb") instanceof Number mb) {
            for (int i = 0; i < mb.intValue(); i++) {
                HELD.add(new byte[1024 * 1024]);
            }
        }
        if (event.get("native_mb") instanceof Number mb) {
            NativeMemory.touch(mb.longValue() * 1024 * 1024);
        }
        if (event.get("fail") != null) {
            throw new IllegalStateException(event.get("fail").toString());
        }
        return out;
    }
}

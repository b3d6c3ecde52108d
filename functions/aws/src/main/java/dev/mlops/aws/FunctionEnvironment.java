package dev.mlops.aws;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The environment variables of the running function. On Lambda these are the process environment;
 * the local runtime hosts five functions in one JVM, so it binds each function's variables (as
 * resolved from template.yaml) around that function's construction and invocations.
 */
public final class FunctionEnvironment {

    private static final ThreadLocal<Map<String, String>> BOUND = new ThreadLocal<>();

    private FunctionEnvironment() {
    }

    /** The variable's value, or null when unset. */
    public static String get(String name) {
        Map<String, String> bound = BOUND.get();
        return bound != null ? bound.get(name) : System.getenv(name);
    }

    /** The variable's value, or {@code fallback} when unset or blank. */
    public static String get(String name, String fallback) {
        String value = get(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /**
     * The variable's value.
     *
     * @throws IllegalStateException naming the variable when it is unset: a deployment error
     */
    public static String require(String name) {
        String value = get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set (see template.yaml)");
        }
        return value;
    }

    /** Whether this thread runs a function (its environment is bound here), rather than the host around it. */
    public static boolean bound() {
        return BOUND.get() != null;
    }

    /**
     * {@code body} bound to this thread's function environment, to run on another thread (a
     * handler's background work sees the same variables as the handler).
     */
    public static <T> Supplier<T> inherited(Supplier<T> body) {
        Map<String, String> bound = BOUND.get();
        return bound == null ? body : () -> with(bound, body);
    }

    /** Runs {@code body} with {@code env} as the function environment of this thread. */
    public static <T> T with(Map<String, String> env, Supplier<T> body) {
        Map<String, String> previous = BOUND.get();
        BOUND.set(Map.copyOf(env));
        try {
            return body.get();
        } finally {
            if (previous == null) {
                BOUND.remove();
            } else {
                BOUND.set(previous);
            }
        }
    }
}

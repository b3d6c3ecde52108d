package dev.mlops.local.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;

/**
 * Faults injected into the local functions' invocations, the local counterpart of AWS Fault Injection Service's
 * Lambda actions ({@code aws:lambda:invocation-error}, {@code aws:lambda:invocation-add-delay}): the next
 * {@code times} invocations of a function (whose payload contains a given text, if one is given) are delayed and/or
 * fail with an error of the given type, reported through the Lambda Invoke API exactly as the function's own error
 * would be, so the state machine's Retry and Catch, the S3 delivery retries and the dead-letter queue see real
 * failures. Used by the fault-injection tests ({@code FaultInjectionIT}); nothing injects faults unless asked.
 * It also counts every function's invocations and failures, so a test can tell that a task failed and was retried.
 */
public final class FaultInjection {

    /**
     * One fault.
     *
     * @param function     the function's logical id
     * @param payloadHas   only invocations whose payload contains this text (null: every invocation)
     * @param times        how many invocations it applies to
     * @param delay        how long each waits before it runs (or fails); zero for none
     * @param errorType    the error reported instead of running the function (an exception class name), or null to run it
     * @param errorMessage the error's message
     */
    public record Fault(String function, String payloadHas, int times, Duration delay, String errorType,
                        String errorMessage) {
    }

    private final List<Fault> faults = new ArrayList<>();
    private final List<String> fired = new ArrayList<>();
    private final java.util.Map<String, Integer> failures = new java.util.HashMap<>();
    private final java.util.Map<String, Integer> invocations = new java.util.HashMap<>();

    /**
     * Faults given to a {@code ./mlops local up} process by the fault-injection tests, as the system property
     * {@code mlops.faults}: {@code Function:times:delay[:errorType]} items separated by commas, e.g.
     * {@code TrainingFunction:1:PT20S} (the next training invocation waits 20 s). Empty when the property is unset.
     */
    public static List<Fault> fromProperty(String value) {
        List<Fault> out = new ArrayList<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String item : value.split(",")) {
            String[] p = item.trim().split(":");
            if (p.length < 3) {
                throw new IllegalArgumentException("mlops.faults item \"" + item + "\" is not Function:times:delay[:errorType]");
            }
            out.add(new Fault(p[0], null, Integer.parseInt(p[1]), Duration.parse(p[2]), p.length > 3 ? p[3] : null,
                    "injected by mlops.faults"));
        }
        return out;
    }

    /** Adds a fault; faults of one function apply in the order they were added. */
    public synchronized void inject(Fault fault) {
        faults.add(fault);
    }

    /** Removes every fault not yet used up. */
    public synchronized void clear() {
        faults.clear();
    }

    /** The faults that fired, one line each ({@code function errorType|delay}), oldest first. */
    public synchronized List<String> fired() {
        return List.copyOf(fired);
    }

    /** How many invocations of a function ended in an error (injected or its own), since the start. */
    public synchronized int failures(String function) {
        return failures.getOrDefault(function, 0);
    }

    /** How many invocations of a function there were, since the start. */
    public synchronized int invocations(String function) {
        return invocations.getOrDefault(function, 0);
    }

    synchronized void count(String function, boolean failed) {
        invocations.merge(function, 1, Integer::sum);
        if (failed) {
            failures.merge(function, 1, Integer::sum);
        }
    }

    /** The fault for this invocation, if any (counting it as used). */
    synchronized Optional<Fault> take(String function, byte[] payload) {
        for (ListIterator<Fault> it = faults.listIterator(); it.hasNext(); ) {
            Fault f = it.next();
            if (!f.function().equals(function)) {
                continue;
            }
            if (f.payloadHas() != null && !new String(payload, StandardCharsets.UTF_8).contains(f.payloadHas())) {
                continue;
            }
            if (f.times() > 1) {
                it.set(new Fault(f.function(), f.payloadHas(), f.times() - 1, f.delay(), f.errorType(), f.errorMessage()));
            } else {
                it.remove();
            }
            fired.add(function + " " + (f.errorType() != null ? f.errorType() : "delay " + f.delay()));
            return Optional.of(f);
        }
        return Optional.empty();
    }
}

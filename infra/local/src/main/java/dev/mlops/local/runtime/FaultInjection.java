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

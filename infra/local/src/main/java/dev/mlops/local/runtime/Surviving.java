package dev.mlops.local.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background work of the local runtime that outlives whatever one run of it throws, an {@link Error} included: a
 * scheduled task that throws is never run again, and a task given to {@code submit} loses its failure in a future
 * nobody reads. Each failure is counted under the work's name and said on stderr (the first, then at 2, 4, 8, ...
 * failures, so a failing loop cannot flood the terminal).
 */
final class Surviving {

    private static final Map<String, AtomicLong> FAILURES = new ConcurrentHashMap<>();

    private Surviving() {
    }

    /** {@code work}, made to survive any throwable of one run. */
    static Runnable of(String what, Runnable work) {
        return () -> {
            try {
                work.run();
            } catch (Throwable t) {
                failed(what, t);
            }
        };
    }

    /** Counts and reports one failed run of {@code what}. */
    static void failed(String what, Throwable t) {
        long n = FAILURES.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
        if (Long.bitCount(n) == 1) {
            System.err.println("[local] " + what + " failed (" + t + "); " + n + " failure(s) so far, it goes on");
        }
    }

    /** How many runs of {@code what} failed so far in this JVM. */
    static long failures(String what) {
        AtomicLong n = FAILURES.get(what);
        return n == null ? 0 : n.get();
    }
}

package dev.mlops.core;

import java.io.IOException;
import java.io.UncheckedIOException;

/** What a task run on another thread failed with, as its caller should see it. */
public final class TaskFailures {

    private TaskFailures() {
    }

    /**
     * The failure of a task ({@code ExecutionException.getCause()}): an unchecked exception or an error is thrown as
     * it is; an I/O failure (wrapped in {@link UncheckedIOException} or not) is returned to be thrown; any other
     * checked exception comes back wrapped in an {@link IOException}.
     */
    public static IOException rethrown(Throwable cause) {
        if (cause instanceof UncheckedIOException e) {
            return e.getCause();
        }
        if (cause instanceof RuntimeException e) {
            throw e;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return cause instanceof IOException e ? e : new IOException(cause);
    }
}

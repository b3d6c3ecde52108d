package dev.mlops.local.runtime;

import dev.mlops.local.emulators.ChildProcess;
import dev.mlops.local.template.StackModel;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The execution environments of one function, as Lambda keeps them: an invocation takes a warm idle environment,
 * or starts a new one (a cold start) when every environment is busy, up to {@link #maxEnvironments}; beyond that
 * it waits for one to come free (where AWS would start more, or throttle). An environment that ended (timed out,
 * over its memory, crashed) is dropped and the next invocation gets a fresh one. A single watcher samples every
 * environment's resident memory against its {@code MemorySize}.
 */
final class ExecutionEnvironments implements AutoCloseable {

    /** How many environments one function may have locally (system property {@code mlops.lambda.environments}). */
    static final int DEFAULT_MAX_ENVIRONMENTS = Integer.getInteger("mlops.lambda.environments", 4);
    private static final long MEMORY_SAMPLE_MILLIS = 100;

    /** The memory watcher of every environment of this JVM. */
    private static final ScheduledExecutorService MEMORY_WATCH = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lambda-memory-watch");
        t.setDaemon(true);
        return t;
    });
    private static final Set<ExecutionEnvironment> WATCHED = ConcurrentHashMap.newKeySet();

    static {
        // Whatever one round throws, the next runs (a scheduled task that throws is never run again).
        MEMORY_WATCH.scheduleWithFixedDelay(() -> {
            try {
                WATCHED.removeIf(ExecutionEnvironment::overMemory);
            } catch (Throwable t) {
                System.err.println("[local] memory watch: one round failed (" + t + "); the next one runs");
            }
        }, MEMORY_SAMPLE_MILLIS, MEMORY_SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
    }

    private final StackModel.Function function;
    private final Map<String, String> variables;
    private final ChildProcess.Output output;
    private final int maxEnvironments;
    private final Deque<ExecutionEnvironment> idle = new ArrayDeque<>();
    private final Set<ExecutionEnvironment> owned = ConcurrentHashMap.newKeySet();
    private int live;
    private boolean closing;
    private final AtomicLong coldStarts = new AtomicLong();

    ExecutionEnvironments(StackModel.Function function, Map<String, String> variables, ChildProcess.Output output,
                          int maxEnvironments) {
        this.function = function;
        this.variables = Map.copyOf(variables);
        this.output = output;
        this.maxEnvironments = maxEnvironments;
    }

    /**
     * Runs one invocation in an environment, within {@code timeout}.
     *
     * @param timeout the function's {@code Timeout}, less what an injected delay already took
     */
    FunctionHost.Result invoke(String requestId, byte[] payload, Duration timeout) {
        ExecutionEnvironment environment;
        try {
            environment = acquire();
        } catch (ExecutionEnvironment.StartFailed e) {
            return new FunctionHost.Result(null, e.error());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new FunctionHost.Result(null, FunctionError.untyped("interrupted while waiting for an environment"));
        }
        FunctionHost.Result result = environment.invoke(requestId, payload, timeout);
        release(environment);
        return result;
    }

    /** Environments started so far (each a cold start). */
    long coldStarts() {
        return coldStarts.get();
    }

    /** The process ids of this function's environments alive now. */
    List<Long> pids() {
        return owned.stream().filter(ExecutionEnvironment::alive).map(ExecutionEnvironment::pid).toList();
    }

    private ExecutionEnvironment acquire() throws ExecutionEnvironment.StartFailed, InterruptedException {
        synchronized (this) {
            while (true) {
                if (closing) {
                    throw new ExecutionEnvironment.StartFailed(FunctionError.untyped("the local stack is stopping"));
                }
                ExecutionEnvironment warm = idle.pollFirst();
                if (warm != null) {
                    if (warm.alive()) {
                        return warm;
                    }
                    retire(warm);
                    continue;
                }
                if (live < maxEnvironments) {
                    live++;
                    break;
                }
                wait();
            }
        }
        try {
            ExecutionEnvironment started = ExecutionEnvironment.start(function, variables, output);
            coldStarts.incrementAndGet();
            owned.add(started);
            WATCHED.add(started);
            return started;
        } catch (ExecutionEnvironment.StartFailed | RuntimeException e) {
            synchronized (this) {
                live--;
                notifyAll();
            }
            throw e;
        }
    }

    private void release(ExecutionEnvironment environment) {
        boolean shutDown;
        synchronized (this) {
            shutDown = closing || !environment.alive();
            if (!shutDown) {
                idle.addFirst(environment); // the warmest first, as Lambda reuses the most recent
            } else {
                live--;
            }
            notifyAll();
        }
        if (shutDown) {
            stop(environment);
        }
    }

    /** Called with the lock held: an idle environment found dead is dropped. */
    private void retire(ExecutionEnvironment dead) {
        live--;
        stop(dead);
    }

    private void stop(ExecutionEnvironment environment) {
        WATCHED.remove(environment);
        owned.remove(environment);
        environment.close();
    }

    /**
     * Lambda's shutdown of every environment: idle ones now (each handler closed: captures written), busy ones as
     * soon as their invocation ends; no new invocation is taken.
     */
    @Override
    public void close() {
        List<ExecutionEnvironment> now;
        synchronized (this) {
            closing = true;
            now = List.copyOf(idle);
            idle.clear();
            live -= now.size();
            notifyAll();
        }
        now.parallelStream().forEach(this::stop);
    }

    /** Ends whatever environment is left (busy past the stack's stop): no process outlives the stack. */
    void killRemaining() {
        for (ExecutionEnvironment e : List.copyOf(owned)) {
            stop(e);
        }
    }
}

package dev.mlops.local.runtime;

import dev.mlops.local.emulators.ChildProcess;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One function of the template, served as Lambda serves it: each invocation runs in an execution environment of
 * its own process ({@link ExecutionEnvironments}), bounded by the function's {@code MemorySize} and
 * {@code Timeout}, kept warm and reused; concurrent invocations get more environments, each with its own cold
 * start. Faults injected for tests ({@link FaultInjection}) are applied first, inside the invocation's time.
 */
public final class FunctionHost {

    /** The result of one invocation: a payload, or the error Lambda would report. */
    public record Result(byte[] payload, FunctionError error) {
        public boolean failed() {
            return error != null;
        }
    }

    private final StackModel.Function function;
    private final FaultInjection faults;
    private final ExecutionEnvironments environments;

    /** A host without injected faults, its environments' output in a log in the system's temporary folder (benchmarks). */
    public FunctionHost(StackModel.Function function, Map<String, String> localEnvironment) {
        this(function, localEnvironment, new FaultInjection(), temporaryLog());
    }

    /**
     * A host whose invocations go through {@code faults} first.
     *
     * @param localEnvironment the function's environment variables as the local runtime resolves them
     * @param output           where its environments' output goes (the stack's {@link FunctionOutput})
     */
    public FunctionHost(StackModel.Function function, Map<String, String> localEnvironment, FaultInjection faults,
                        ChildProcess.Output output) {
        this.function = function;
        this.faults = faults;
        try {
            HandlerCall.handlerClass(function.handler());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("handler class " + function.handler().split("::")[0] + " of "
                    + function.logicalId() + " is not on the class path", e);
        }
        this.environments = new ExecutionEnvironments(function, localEnvironment, output,
                ExecutionEnvironments.DEFAULT_MAX_ENVIRONMENTS);
    }

    private static ChildProcess.Output temporaryLog() {
        try {
            return FunctionOutput.open(Path.of(System.getProperty("java.io.tmpdir"), "mlops-functions.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public StackModel.Function function() {
        return function;
    }

    /** Invokes the function with a JSON payload. */
    public Result invoke(byte[] payload) {
        Result result = run(payload);
        faults.count(function.logicalId(), result.failed());
        return result;
    }

    private Result run(byte[] payload) {
        Duration timeout = Duration.ofSeconds(function.timeoutSeconds());
        var fault = faults.take(function.logicalId(), payload);
        if (fault.isPresent()) {
            FaultInjection.Fault f = fault.get();
            if (!f.delay().isZero()) {
                try {
                    Thread.sleep(f.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // An injected delay is inside the invocation, as AWS FIS adds it: it counts against the timeout.
                timeout = timeout.minus(f.delay());
            }
            if (f.errorType() != null) {
                return new Result(null, new FunctionError(f.errorType(), f.errorMessage(), List.of()));
            }
        }
        String requestId = UUID.randomUUID().toString();
        if (timeout.isNegative() || timeout.isZero()) {
            return new Result(null, ExecutionEnvironment.timedOut(requestId, function.timeoutSeconds()));
        }
        return environments.invoke(requestId, payload, timeout);
    }

    /** Environments started so far: each is a cold start (tests tell warm reuse from it). */
    public long coldStarts() {
        return environments.coldStarts();
    }

    /** The process ids of this function's execution environments now. */
    public List<Long> environmentPids() {
        return environments.pids();
    }

    /**
     * Retires the function's environments, as Lambda's shutdown phase does: each handler that is
     * {@link AutoCloseable} is closed (the inference function writes the captures it still holds); an environment
     * busy now is retired when its invocation ends.
     */
    public void close() {
        environments.close();
    }

    /** Ends any environment still running (after the stack's stop has let the busy ones finish). */
    public void killRemaining() {
        environments.killRemaining();
    }
}

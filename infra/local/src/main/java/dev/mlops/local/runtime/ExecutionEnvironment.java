package dev.mlops.local.runtime;

import dev.mlops.local.emulators.ChildProcess;
import dev.mlops.local.template.StackModel;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One execution environment of a function, as Lambda has them: a JVM process of its own ({@link EnvironmentMain})
 * with the function's environment variables, its handler constructed once, answering one invocation at a time and
 * kept warm between them. It is held to the function's limits ({@link EnvironmentLimits}): an invocation that runs
 * past {@code Timeout} ends the environment and fails with Lambda's own message ({@code Task timed out after 900.00
 * seconds}); a process whose resident memory passes {@code MemorySize} is killed ({@link #overMemory}) and the
 * invocation fails as Lambda reports it ({@code Runtime exited with error: signal: killed}). Neither error has a
 * type, so the state machine sees {@code Lambda.Unknown}, as the Step Functions documentation says for timeouts
 * and out-of-memory errors.
 */
final class ExecutionEnvironment implements AutoCloseable {

    /** Thrown when the environment could not be made ready; carries the error the invocation reports. */
    static final class StartFailed extends Exception {
        private final transient FunctionError error;

        StartFailed(FunctionError error) {
            super(error.summary());
            this.error = error;
        }

        FunctionError error() {
            return error;
        }
    }

    /** Lambda's own runtime flags on Java 17 and 21: the serial collector and C1 only (JAVA_TOOL_OPTIONS may override). */
    private static final List<String> RUNTIME_DEFAULTS = List.of("-XX:+UseSerialGC", "-XX:+TieredCompilation",
            "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    /** Lambda's init phase may take 10 s before the invocation's own time starts counting. */
    private static final Duration INIT_ALLOWANCE = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final StackModel.Function function;
    private final EnvironmentLimits limits;
    private final ChildProcess process;
    private final Socket channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private volatile String killedBecause;
    private volatile long peakResidentBytes;

    private ExecutionEnvironment(StackModel.Function function, EnvironmentLimits limits, ChildProcess process,
                                 Socket channel) throws IOException {
        this.function = function;
        this.limits = limits;
        this.process = process;
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(channel.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(channel.getOutputStream()));
    }

    /**
     * Starts an environment and runs its init phase (the handler's construction), within the function's timeout
     * plus Lambda's 10 s of init.
     *
     * @param variables the function's environment variables, as the template and the local runtime resolve them
     * @param output    where its output goes, line by line
     */
    static ExecutionEnvironment start(StackModel.Function function, Map<String, String> variables,
                                      ChildProcess.Output output)
            throws StartFailed {
        EnvironmentLimits limits = EnvironmentLimits.of(function);
        byte[] secret = new byte[16];
        RANDOM.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        ChildProcess process;
        try {
            process = ChildProcess.start(function.logicalId(), command(variables, limits), Path.of("."), output,
                    ChildProcess.Options.defaults().withEnvironment(environment(function, variables, limits, token)));
        } catch (IOException e) {
            throw new StartFailed(FunctionError.untyped("the execution environment of " + function.logicalId()
                    + " could not be started: " + e.getMessage()));
        }
        Duration initLimit = INIT_ALLOWANCE.plusSeconds(limits.timeoutSeconds());
        long deadline = System.nanoTime() + initLimit.toNanos();
        try {
            int port = process.awaitReady(initLimit);
            Socket channel = new Socket(InetAddress.getLoopbackAddress(), port);
            channel.setTcpNoDelay(true);
            ExecutionEnvironment environment = new ExecutionEnvironment(function, limits, process, channel);
            environment.out.writeUTF(token);
            environment.out.flush();
            channel.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            byte kind = EnvironmentWire.readKind(environment.in);
            channel.setSoTimeout(0);
            if (kind == EnvironmentWire.READY) {
                return environment;
            }
            FunctionError initError = EnvironmentWire.readError(environment.in);
            process.kill();
            throw new StartFailed(initError);
        } catch (SocketTimeoutException e) {
            process.kill();
            throw new StartFailed(FunctionError.untyped(String.format(Locale.ROOT,
                    "%s Task timed out after %.2f seconds (init)", Instant.now(), (double) initLimit.toSeconds())));
        } catch (IOException e) {
            process.kill();
            throw new StartFailed(FunctionError.untyped("the execution environment of " + function.logicalId()
                    + " ended during its init (exit code " + exitCode(process) + "): " + e.getMessage()));
        }
    }

    private static List<String> command(Map<String, String> variables, EnvironmentLimits limits) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(RUNTIME_DEFAULTS);
        String toolOptions = variables.get("JAVA_TOOL_OPTIONS");
        if (toolOptions != null && !toolOptions.isBlank()) {
            // As on Lambda, the function's JAVA_TOOL_OPTIONS come after the runtime's defaults and win over them.
            command.addAll(List.of(toolOptions.trim().split("\\s+")));
        }
        command.addAll(limits.jvmOptions());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EnvironmentMain.class.getName());
        return command;
    }

    /** The process environment: the function's variables and Lambda's reserved ones, nothing of this process's. */
    private static Map<String, String> environment(StackModel.Function function, Map<String, String> variables,
                                                   EnvironmentLimits limits, String token) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String inherited : List.of("PATH", "LANG", "TMPDIR")) {
            String value = System.getenv(inherited);
            if (value != null) {
                env.put(inherited, value);
            }
        }
        env.putAll(variables);
        env.remove("JAVA_TOOL_OPTIONS"); // given on the command line (see command), not picked up a second time
        env.put("_HANDLER", function.handler());
        env.put("AWS_LAMBDA_FUNCTION_NAME", function.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(limits.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + function.name());
        env.put("MLOPS_FUNCTION_ARN", function.arn());
        env.put(EnvironmentMain.TOKEN, token);
        return env;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.alive() && killedBecause == null;
    }

    /**
     * Runs one invocation, within the function's timeout.
     *
     * @param timeout how long it may run (the function's {@code Timeout}, less what an injected delay took)
     */
    synchronized FunctionHost.Result invoke(String requestId, byte[] payload, Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        try {
            EnvironmentWire.writeInvoke(out, requestId, millis, payload);
            channel.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
            byte kind = EnvironmentWire.readKind(in);
            channel.setSoTimeout(0);
            if (kind == EnvironmentWire.OUTPUT) {
                return new FunctionHost.Result(EnvironmentWire.readBytes(in), null);
            }
            return new FunctionHost.Result(null, EnvironmentWire.readError(in));
        } catch (SocketTimeoutException e) {
            kill("it ran past its Timeout of " + limits.timeoutSeconds() + " s");
            return new FunctionHost.Result(null, timedOut(requestId, limits.timeoutSeconds()));
        } catch (IOException e) {
            return new FunctionHost.Result(null, died(requestId));
        }
    }

    /** Lambda's error for an invocation that ran past the function's timeout. */
    static FunctionError timedOut(String requestId, int timeoutSeconds) {
        return FunctionError.untyped(String.format(Locale.ROOT, "%s %s Task timed out after %.2f seconds",
                Instant.now(), requestId, (double) timeoutSeconds));
    }

    /** The error of an invocation whose environment ended under it. */
    private FunctionError died(String requestId) {
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception stillThere) {
            process.kill();
        }
        String why = killedBecause != null || "137".equals(process.exitCode()) ? "signal: killed"
                : "exit status " + process.exitCode();
        return FunctionError.untyped("RequestId: " + requestId + " Error: Runtime exited with error: " + why);
    }

    /**
     * Samples the resident memory; past the function's {@code MemorySize} the environment is killed (an invocation
     * under way then fails as Lambda reports it). Returns whether it was.
     */
    boolean overMemory() {
        var resident = ResidentMemory.bytes(process.pid());
        if (resident.isEmpty()) {
            return false;
        }
        peakResidentBytes = Math.max(peakResidentBytes, resident.getAsLong());
        if (resident.getAsLong() <= limits.memoryBytes()) {
            return false;
        }
        kill("its resident memory reached " + resident.getAsLong() / (1024 * 1024) + " MB, over its MemorySize of "
                + limits.memoryMb() + " MB");
        return true;
    }

    /** The most resident memory seen so far, in bytes (0 where it cannot be read). */
    long peakResidentBytes() {
        return peakResidentBytes;
    }

    private void kill(String because) {
        if (killedBecause == null) {
            killedBecause = because;
            System.err.println("[local] " + function.logicalId() + ": execution environment (pid " + process.pid()
                    + ") stopped: " + because);
        }
        process.kill();
    }

    /** Lambda's shutdown phase: the handler is closed (captures written), then the process ends. */
    @Override
    public void close() {
        if (alive()) {
            try {
                channel.setSoTimeout(10_000);
                out.writeByte(EnvironmentWire.SHUTDOWN);
                out.flush();
                EnvironmentWire.readKind(in);
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // it did not finish its shutdown in time: killed below
            }
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        process.close();
    }

    private static String exitCode(ChildProcess process) {
        try {
            process.onExit().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "?";
        }
        return process.exitCode();
    }
}

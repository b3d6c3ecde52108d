package dev.mlops.local.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/**
 * The main class of one local execution environment: a JVM of its own, started by {@link ExecutionEnvironment}
 * with the function's environment variables as its process environment and JVM bounds from its
 * {@code MemorySize}. As Lambda's Java runtime does, it constructs the handler once ({@code _HANDLER}), then
 * answers one invocation at a time, each with a {@link LocalContext} whose remaining time is what the runtime
 * allows. It exits when the runtime closes its stdin (the runtime died), when the channel closes, after
 * {@code SHUTDOWN} (the handler closed first, as in Lambda's shutdown phase), and after an error of the JVM itself
 * (an {@link OutOfMemoryError}: a fresh environment serves the next invocation).
 */
public final class EnvironmentMain {

    /** The variable that carries the one-time token the runtime must present on the channel. */
    static final String TOKEN = "MLOPS_ENVIRONMENT_TOKEN";

    private EnvironmentMain() {
    }

    public static void main(String[] args) throws IOException {
        exitWhenTheRuntimeDies(System.in);
        String handler = System.getenv("_HANDLER");
        String functionName = System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        String arn = System.getenv("MLOPS_FUNCTION_ARN");
        int memoryMb = Integer.parseInt(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"));
        try (Socket channel = acceptRuntime(System.getenv(TOKEN))) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(channel.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(channel.getOutputStream()));
            HandlerCall call;
            try {
                call = HandlerCall.construct(handler);
            } catch (Throwable initFailed) {
                EnvironmentWire.writeError(out, FunctionError.of(initFailed));
                System.exit(1);
                return;
            }
            out.writeByte(EnvironmentWire.READY);
            out.flush();
            serve(call, in, out, functionName, arn, memoryMb);
        }
    }

    private static void serve(HandlerCall call, DataInputStream in, DataOutputStream out, String functionName,
                              String arn, int memoryMb) throws IOException {
        while (true) {
            byte kind = EnvironmentWire.readKind(in);
            if (kind == EnvironmentWire.SHUTDOWN) {
                if (call.instance() instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception e) {
                        System.err.println("[environment] closing the handler: " + e);
                    }
                }
                out.writeByte(EnvironmentWire.DONE);
                out.flush();
                System.exit(0);
            }
            EnvironmentWire.Invoke invoke = EnvironmentWire.readInvoke(in);
            LocalContext context = new LocalContext(invoke.requestId(), functionName, arn, memoryMb,
                    invoke.timeoutMillis());
            try {
                EnvironmentWire.writeOutput(out, call.call(invoke.payload(), context));
            } catch (VirtualMachineError fatal) {
                // The JVM cannot be trusted after this (Lambda's runtime exits too): answer, then go.
                EnvironmentWire.writeError(out, FunctionError.of(fatal));
                System.exit(1);
            } catch (Throwable e) {
                EnvironmentWire.writeError(out, FunctionError.of(e));
            }
        }
    }

    /** Listens on loopback for the runtime, says where on stdout ({@code READY <port>}), takes one connection with the token. */
    private static Socket acceptRuntime(String token) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(60_000);
            System.out.println("READY " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket socket = server.accept();
                try {
                    socket.setSoTimeout(10_000);
                    String presented = new DataInputStream(socket.getInputStream()).readUTF();
                    if (MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
                            token.getBytes(StandardCharsets.UTF_8))) {
                        socket.setSoTimeout(0);
                        socket.setTcpNoDelay(true);
                        return socket;
                    }
                } catch (IOException notTheRuntime) {
                    // whoever it was goes; the runtime's connection is still awaited
                }
                socket.close();
            }
        }
    }

    /** The runtime keeps our stdin open for as long as it lives: end of input means it is gone, and so are we. */
    private static void exitWhenTheRuntimeDies(InputStream stdin) {
        Thread watch = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // nothing is sent; only the end matters
                }
            } catch (IOException ignored) {
                // same as the end
            }
            Runtime.getRuntime().halt(0);
        }, "runtime-watch");
        watch.setDaemon(true);
        watch.start();
    }
}

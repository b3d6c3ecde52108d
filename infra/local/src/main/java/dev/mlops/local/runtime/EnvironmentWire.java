package dev.mlops.local.runtime;

import dev.mlops.core.Json;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * The frames between the local runtime and an execution environment process, over one loopback connection (the
 * environment's stdout and stderr are its log; a library that prints cannot corrupt this channel):
 * <pre>
 * runtime → environment   token (once) · INVOKE request-id timeout-ms payload · SHUTDOWN
 * environment → runtime   READY | ERROR (init failed, once) · OUTPUT payload | ERROR error, per invocation · DONE
 * </pre>
 */
final class EnvironmentWire {

    static final byte INVOKE = 'I';
    static final byte SHUTDOWN = 'S';
    static final byte READY = 'R';
    static final byte OUTPUT = 'O';
    static final byte ERROR = 'E';
    static final byte DONE = 'D';

    /** Payloads above Lambda's 6 MB synchronous limit are refused by the front door long before; this bounds a frame. */
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    /** One invocation, as the environment reads it. */
    record Invoke(String requestId, long timeoutMillis, byte[] payload) {
    }

    private EnvironmentWire() {
    }

    static void writeInvoke(DataOutputStream out, String requestId, long timeoutMillis, byte[] payload) throws IOException {
        out.writeByte(INVOKE);
        out.writeUTF(requestId);
        out.writeLong(timeoutMillis);
        writeBytes(out, payload);
        out.flush();
    }

    static Invoke readInvoke(DataInputStream in) throws IOException {
        return new Invoke(in.readUTF(), in.readLong(), readBytes(in));
    }

    static void writeOutput(DataOutputStream out, byte[] payload) throws IOException {
        out.writeByte(OUTPUT);
        writeBytes(out, payload);
        out.flush();
    }

    static void writeError(DataOutputStream out, FunctionError error) throws IOException {
        out.writeByte(ERROR);
        writeBytes(out, Json.MAPPER.writeValueAsBytes(error));
        out.flush();
    }

    static FunctionError readError(DataInputStream in) throws IOException {
        return Json.MAPPER.readValue(readBytes(in), FunctionError.class);
    }

    static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) {
            throw new IOException("a frame of " + length + " bytes: the environment's channel is out of step");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /** The next frame's kind; EOFException when the other side has gone. */
    static byte readKind(DataInputStream in) throws IOException {
        int kind = in.read();
        if (kind < 0) {
            throw new EOFException("the channel closed");
        }
        return (byte) kind;
    }
}

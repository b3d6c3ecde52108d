package dev.mlops.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 without giving up on the first bad byte: each invalid sequence becomes U+FFFD and is counted,
 * so the parser can go on and the rows holding one can be named. A leading byte order mark is skipped and
 * remembered. The last characters read are kept to tell a closed quote from an unclosed one at the end.
 */
final class Utf8Reader extends Reader {

    /** Characters of the end of the input kept for {@link #tail()}. */
    static final int TAIL = 64;

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private final char[] tail = new char[TAIL];
    private int tailLength;
    private boolean eof;
    private boolean started;
    private boolean bom;
    private long substitutions;
    private final boolean bomAllowed;

    Utf8Reader(InputStream in) {
        this(in, true);
    }

    /** A reader of bytes that may start with a byte order mark ({@code bomAllowed}: the start of a file), or not. */
    Utf8Reader(InputStream in, boolean bomAllowed) {
        this.in = in;
        this.bomAllowed = bomAllowed;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!started) {
            start();
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                if (!out.hasRemaining()) {
                    break;
                }
                bytes.position(bytes.position() + r.length());
                out.put('\uFFFD');
                substitutions++;
            } else if (r.isOverflow()) {
                break;
            } else if (eof || out.position() > off) {
                break;
            } else {
                fill();
            }
        }
        int n = out.position() - off;
        if (n == 0) {
            return eof && !bytes.hasRemaining() ? -1 : 0;
        }
        keepTail(cbuf, off, n);
        return n;
    }

    private void start() throws IOException {
        started = true;
        while (!eof && bytes.remaining() < 3) {
            fill();
        }
        if (bomAllowed && bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
                && (bytes.get(2) & 0xFF) == 0xBF) {
            bom = true;
            bytes.position(3);
        }
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    private void keepTail(char[] cbuf, int off, int n) {
        if (n >= TAIL) {
            System.arraycopy(cbuf, off + n - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
        } else {
            int keep = Math.min(tailLength, TAIL - n);
            System.arraycopy(tail, tailLength - keep, tail, 0, keep);
            System.arraycopy(cbuf, off, tail, keep, n);
            tailLength = keep + n;
        }
    }

    /** Whether the input started with a byte order mark. */
    boolean bom() {
        return bom;
    }

    /** Invalid sequences replaced so far. */
    long substitutions() {
        return substitutions;
    }

    /** The last characters decoded (at most {@value #TAIL}). */
    String tail() {
        return new String(tail, 0, tailLength);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}

package dev.mlops.core.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Counts and hashes (SHA-256) the bytes read through it; {@link #drain()} reads what is left. */
public final class DigestingInputStream extends FilterInputStream {

    private final MessageDigest sha;
    private long count;

    /** Wraps {@code in}; nothing is read yet. */
    public DigestingInputStream(InputStream in) {
        super(in);
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            sha.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            sha.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still be hashed.
        byte[] buf = new byte[8192];
        long done = 0;
        while (done < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    /** Reads to the end, so the hash covers the whole input even when parsing stopped early. */
    public void drain() throws IOException {
        byte[] buf = new byte[64 * 1024];
        while (read(buf, 0, buf.length) >= 0) {
            // hashed in read
        }
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    /** Lower-case hex SHA-256 of the bytes read (call once, at the end). */
    public String sha256() {
        return HexFormat.of().formatHex(sha.digest());
    }
}

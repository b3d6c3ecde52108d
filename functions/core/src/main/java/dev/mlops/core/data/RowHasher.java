package dev.mlops.core.data;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The row hash of a {@link SplitSpec}, computed from strings or straight from a parser's {@link Row} (no string
 * per cell): SHA-256 over the salt {@code mlops/row-partition/v1/<seed>} and every cell trimmed, UTF-8, prefixed
 * by its length as 4 big-endian bytes; the first 8 bytes of the digest, big-endian. One instance reuses its
 * digest and buffers: not thread-safe.
 */
final class RowHasher {

    private final byte[] salt;
    private final MessageDigest sha;
    private final byte[] length = new byte[4];
    private byte[] utf8 = new byte[256];

    RowHasher(long seed) {
        this.salt = ("mlops/row-partition/v1/" + seed).getBytes(StandardCharsets.UTF_8);
        try {
            this.sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    /** The hash of cells given as strings ({@code null} is an empty cell). */
    long hash(List<String> cells) {
        sha.reset();
        sha.update(salt);
        for (String cell : cells) {
            String s = cell == null ? "" : cell;
            char[] chars = s.toCharArray();
            cell(chars, 0, chars.length);
        }
        return digest();
    }

    /** The hash of the fields {@code columns} of a parsed row, in that order. */
    long hash(Row row, int[] columns) {
        sha.reset();
        sha.update(salt);
        char[] chars = row.chars();
        for (int c : columns) {
            cell(chars, row.start(c), row.length(c));
        }
        return digest();
    }

    /** One cell: trimmed as {@link String#trim()} trims, encoded as {@link String#getBytes} encodes UTF-8. */
    private void cell(char[] chars, int off, int len) {
        int from = off;
        int to = off + len;
        while (from < to && chars[from] <= ' ') {
            from++;
        }
        while (to > from && chars[to - 1] <= ' ') {
            to--;
        }
        if (utf8.length < (to - from) * 3) {
            utf8 = new byte[(to - from) * 3];
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = chars[i];
            if (c < 0x80) {
                utf8[n++] = (byte) c;
            } else if (c < 0x800) {
                utf8[n++] = (byte) (0xC0 | (c >> 6));
                utf8[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(chars[i + 1])) {
                int cp = Character.toCodePoint(c, chars[++i]);
                utf8[n++] = (byte) (0xF0 | (cp >> 18));
                utf8[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                utf8[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                utf8[n++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                utf8[n++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) replaces it
            } else {
                utf8[n++] = (byte) (0xE0 | (c >> 12));
                utf8[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                utf8[n++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        length[0] = (byte) (n >>> 24);
        length[1] = (byte) (n >>> 16);
        length[2] = (byte) (n >>> 8);
        length[3] = (byte) n;
        sha.update(length);
        sha.update(utf8, 0, n);
    }

    private long digest() {
        byte[] d = sha.digest();
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xFF);
        }
        return h;
    }
}

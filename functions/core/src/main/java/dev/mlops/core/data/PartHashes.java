package dev.mlops.core.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The content address of a file validated in parts: the SHA-256 of the list of its segments' SHA-256s (the header
 * line, then each part, in file order; lower-case hex, one a line). No worker sees the whole file, so its own
 * SHA-256 is not known; a hash list is as collision-resistant, and the same bytes cut at the same places always
 * give the same address. {@link Reader} computes it again over the whole file (training checks what it reads).
 */
public final class PartHashes {

    private PartHashes() {
    }

    /** The address of a file whose segments have these SHA-256s, in file order. */
    public static String version(List<String> segmentSha256s) {
        StringBuilder list = new StringBuilder();
        segmentSha256s.forEach(h -> list.append(h).append('\n'));
        return HexFormat.of().formatHex(sha256().digest(list.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Reads a whole file and hashes each segment on the way: segment i ends at byte {@code ends.get(i)} (included),
     * the last of them at the end of the file. Bytes past it, or a file cut short, give another address.
     */
    public static final class Reader extends FilterInputStream {
        private final List<Long> ends;
        private final List<String> hashes = new ArrayList<>();
        private MessageDigest segment = sha256();
        private long position;
        private int next;
        private boolean extra;

        public Reader(InputStream in, List<Long> ends) {
            super(in);
            this.ends = List.copyOf(ends);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            int at = off;
            int left = n;
            while (left > 0) {
                long segmentLeft = next < ends.size() ? ends.get(next) - position + 1 : Long.MAX_VALUE;
                int take = (int) Math.min(left, segmentLeft);
                segment.update(b, at, take);
                extra |= next == ends.size();
                position += take;
                at += take;
                left -= take;
                if (take == segmentLeft) {
                    hashes.add(HexFormat.of().formatHex(segment.digest()));
                    next++;
                }
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("every byte is hashed: read it");
        }

        /** The address of what was read (call it at the end of the stream). */
        public String version() {
            List<String> all = new ArrayList<>(hashes);
            if (next < ends.size() || extra) {
                all.add(HexFormat.of().formatHex(segment.digest()));
            }
            return PartHashes.version(all);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}

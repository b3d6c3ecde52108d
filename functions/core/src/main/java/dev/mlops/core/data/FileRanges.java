package dev.mlops.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A local file's bytes by range, as {@link CsvParts} and {@link ParallelScanner} read an object. */
public final class FileRanges implements CsvParts.RangeSource {

    private final Path file;
    private final long size;

    /**
     * The ranges of a file (its size is taken now).
     *
     * @throws IOException when the file cannot be read
     */
    public FileRanges(Path file) throws IOException {
        this.file = file;
        this.size = Files.size(file);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public InputStream open(long first, long last) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        return new Range(channel, first, Math.min(last, size - 1));
    }

    /** Reads a channel from one position to another (both included) by positional reads. */
    private static final class Range extends InputStream {
        private final FileChannel channel;
        private long position;
        private final long end;

        Range(FileChannel channel, long first, long last) {
            this.channel = channel;
            this.position = first;
            this.end = last + 1;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (position >= end) {
                return -1;
            }
            int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
            if (n < 0) {
                return -1;
            }
            position += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}

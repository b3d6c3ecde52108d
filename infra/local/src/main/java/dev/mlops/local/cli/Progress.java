package dev.mlops.local.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of a long step (an upload, a validation, a training search, later a batch job) on stderr, drawn by
 * {@code me.tongfei:progressbar}: on a terminal, a bar redrawn in place; otherwise ({@code 2>file}, a pipe, CI) a
 * plain {@code [mlops]} line ({@link #plain}) when the step has moved on since the last one, at most every
 * {@value #PLAIN_EVERY_MILLIS} ms, and one at the end, without carriage returns or escape codes.
 */
final class Progress implements AutoCloseable {

    static final int PLAIN_EVERY_MILLIS = 10_000;
    private static final int TERMINAL_EVERY_MILLIS = 250;
    /**
     * Below this a file is read or sent in about a second: no progress is worth showing. The run that writes
     * {@code validate}'s class-data archive sets {@code mlops.progress.from.bytes} to 0, so that its files show the bar
     * and the bar's classes are in the archive (infra/local/validate-archive.sh).
     */
    static final long BYTES_WORTH_SHOWING = Long.getLong("mlops.progress.from.bytes", 32L << 20);

    private final ProgressBar bar;
    private final boolean terminal;
    private String lastPlainLine;

    private Progress(String task, long total, String unit, long unitSize) {
        int columns = Console.terminalColumns();
        this.terminal = columns > 0;
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setUnit(" " + unit, unitSize);
        if (terminal) {
            builder.setStyle(ProgressBarStyle.UNICODE_BLOCK).setUpdateIntervalMillis(TERMINAL_EVERY_MILLIS)
                    .setConsumer(new ConsoleProgressBarConsumer(Console.ERR, columns - 1));
        } else {
            builder.setUpdateIntervalMillis(PLAIN_EVERY_MILLIS)
                    .setRenderer((state, width) -> plain(state, unit, unitSize))
                    .setConsumer(new DelegatingProgressBarConsumer(this::plainLine, Integer.MAX_VALUE));
        }
        this.bar = builder.build();
    }

    /** Progress over {@code total} bytes, shown in MiB. */
    static Progress bytes(String task, long total) {
        return new Progress(task, total, "MiB", 1L << 20);
    }

    /** Progress over {@code total} items (candidates, parts); a negative total when it is not known yet. */
    static Progress count(String task, long total, String unit) {
        return new Progress(task, total, unit, 1);
    }

    /** "upload big.csv: 512/1024 MiB (50%), 0:00:12": what a line in a file says. */
    static String plain(ProgressState state, String unit, long unitSize) {
        long done = state.getCurrent() / unitSize;
        long elapsed = state.getTotalElapsed().toSeconds();
        String time = String.format(Locale.ROOT, "%d:%02d:%02d", elapsed / 3600, elapsed / 60 % 60, elapsed % 60);
        if (state.isIndefinite() || state.getMax() <= 0) {
            if (done == 0) {
                return ""; // "0 of an unknown number" says nothing
            }
            return String.format(Locale.ROOT, "%s: %d %s, %s", state.getTaskName(), done, unit, time);
        }
        return String.format(Locale.ROOT, "%s: %d/%d %s (%d%%), %s", state.getTaskName(), done,
                state.getMax() / unitSize, unit, Math.round(100 * state.getNormalizedProgress()), time);
    }

    /** One plain line, unless it would say again what the last one said (the end is rendered twice). */
    private synchronized void plainLine(String line) {
        if (line.isEmpty()) {
            return;
        }
        String what = line.substring(0, line.lastIndexOf(", "));
        if (!what.equals(lastPlainLine)) {
            lastPlainLine = what;
            Console.progress(line);
        }
    }

    void stepTo(long done) {
        bar.stepTo(done);
    }

    void step() {
        bar.step();
    }

    void maxHint(long total) {
        bar.maxHint(total);
    }

    /** A line that says something on its own (a candidate's score, say): above the bar, or as a progress line. */
    void say(String line) {
        if (!terminal) {
            Console.progress(line);
            return;
        }
        PrintStream err = Console.ERR;
        synchronized (err) { // the bar's own thread prints through the same stream
            err.print("\r\u001b[2K[mlops] " + TerminalText.escape(line) + System.lineSeparator());
            err.flush();
        }
        bar.refresh();
    }

    /** {@code in}, counted into this progress as it is read. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    stepTo(++read);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    read += n;
                    stepTo(read);
                }
                return n;
            }
        };
    }

    @Override
    public void close() {
        bar.close();
    }
}

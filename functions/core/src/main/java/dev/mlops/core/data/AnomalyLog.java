package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Collects anomalies while a file is read: one entry per kind and column, counting rows and keeping the
 * first {@value Anomaly#MAX_EXAMPLES} examples, so its size does not grow with the file.
 */
public final class AnomalyLog {

    /** One kind of problem in one column, while it is being counted. */
    public static final class Entry {
        private final AnomalyKind kind;
        private final String column;
        private long rows;
        private final List<Anomaly.Example> examples = new ArrayList<>(Anomaly.MAX_EXAMPLES);
        private String message;

        Entry(AnomalyKind kind, String column) {
            this.kind = kind;
            this.column = column;
        }

        /** The kind. */
        public AnomalyKind kind() {
            return kind;
        }

        /** The column, or null. */
        public String column() {
            return column;
        }

        /** Rows counted. */
        public long rows() {
            return rows;
        }

        /** Examples kept. */
        public List<Anomaly.Example> examples() {
            return examples;
        }

        /** The first example's line, or 0. */
        public long firstLine() {
            return examples.isEmpty() ? 0 : examples.get(0).line();
        }

        /** The lines of the examples, as text for a message ("5, 9 and 12"). */
        public String lines() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < examples.size(); i++) {
                if (i > 0) {
                    sb.append(i == examples.size() - 1 && rows == examples.size() ? " and " : ", ");
                }
                sb.append(examples.get(i).line());
            }
            if (rows > examples.size()) {
                sb.append(", …");
            }
            return sb.toString();
        }
    }

    private record Key(AnomalyKind kind, String column) {
    }

    private final ValidationConfig config;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    /** Whether what is recorded is dropped (while the rows a schema is settled from are read). */
    boolean muted;

    /** Creates an empty log whose severities come from {@code config}. */
    public AnomalyLog(ValidationConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The severity a kind has here. */
    public Severity severityOf(AnomalyKind kind) {
        return config.severityOf(kind);
    }

    /**
     * Counts one row with a problem and keeps it as an example while there are fewer than five.
     *
     * @return true if the problem is an error (to count rows with errors)
     */
    public boolean row(AnomalyKind kind, String column, long line, CharSequence value) {
        if (muted) {
            return severityOf(kind) == Severity.ERROR;
        }
        Entry e = entry(kind, column);
        e.rows++;
        if (e.examples.size() < Anomaly.MAX_EXAMPLES) {
            e.examples.add(new Anomaly.Example(line, Anomaly.shorten(value)));
        }
        return severityOf(kind) == Severity.ERROR;
    }

    /** Records a problem that is about the file, the header or a column as a whole, with its sentence. */
    public void note(AnomalyKind kind, String column, long rows, String message) {
        if (muted) {
            return;
        }
        Entry e = entry(kind, column);
        e.rows += rows;
        e.message = message;
    }

    /** Records a problem about a line, with its sentence. */
    public void noteAt(AnomalyKind kind, String column, long line, CharSequence value, String message) {
        if (muted) {
            return;
        }
        row(kind, column, line, value);
        entries.get(new Key(kind, column)).message = message;
    }

    /** Whether anything of this kind was recorded. */
    public boolean has(AnomalyKind kind) {
        return entries.keySet().stream().anyMatch(k -> k.kind == kind);
    }

    /** Whether an error was recorded. */
    public boolean hasErrors() {
        return entries.keySet().stream().anyMatch(k -> severityOf(k.kind) == Severity.ERROR);
    }

    /**
     * The anomalies, errors first, each with its sentence; an entry counted with {@link #row} gets its sentence
     * from {@code describe} (it has its counts and examples by then).
     */
    public List<Anomaly> anomalies(Function<Entry, String> describe) {
        List<Anomaly> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            String message = e.message != null ? e.message : describe.apply(e);
            out.add(new Anomaly(e.kind, e.column, severityOf(e.kind), e.rows, e.examples, message));
        }
        out.sort(Comparator.comparing(Anomaly::severity));
        return out;
    }

    /** What has been recorded so far, to merge into the log of the whole file ({@link PartScan}). */
    List<PartScan.Entry> entries() {
        List<PartScan.Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(new PartScan.Entry(e.kind, e.column, e.rows, List.copyOf(e.examples), e.message));
        }
        return out;
    }

    /**
     * Adds what a part of the file recorded, its lines {@code lineOffset} after the part's own numbering. Parts are
     * added in file order, so the examples kept are the first ones of the file.
     */
    void merge(List<PartScan.Entry> part, long lineOffset) {
        for (PartScan.Entry p : part) {
            Entry e = entry(p.kind(), p.column());
            e.rows += p.rows();
            for (Anomaly.Example ex : p.examples()) {
                if (e.examples.size() < Anomaly.MAX_EXAMPLES) {
                    e.examples.add(new Anomaly.Example(ex.line() + lineOffset, ex.value()));
                }
            }
            if (p.message() != null) {
                e.message = p.message();
            }
        }
    }

    private Entry entry(AnomalyKind kind, String column) {
        return entries.computeIfAbsent(new Key(kind, column), k -> new Entry(kind, column));
    }
}

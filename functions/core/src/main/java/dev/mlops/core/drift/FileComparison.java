package dev.mlops.core.drift;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.DatasetScanner;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Numbers;
import dev.mlops.core.data.Profile;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.ValidationConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Two CSV files compared with the drift check's own code ({@code ./mlops drift compare}): the reference is
 * profiled as ingest profiles an upload ({@link DatasetScanner}: sketches, sample, counts), the current file is
 * streamed into a {@link CurrentWindow}, and {@link DriftAnalysis} decides by the same rule. The label column, when
 * both files have it, is compared like the predictions of a served model (reported as {@code prediction}).
 */
public final class FileComparison {

    /** Rows read to decide each column's type (as ingest does on a first upload). */
    static final int INFERENCE_ROWS = 10_000;

    /** Opens a file again (the reference is read twice: its types, then its profile). */
    public interface Source {
        InputStream open() throws IOException;
    }

    private FileComparison() {
    }

    /**
     * @param label the label column; null: {@code label} when the reference has it, else none
     * @throws IllegalArgumentException for a file without a header, or a named label the reference lacks
     */
    public static DriftResult compare(Source reference, Source current, String label, DriftConfig config)
            throws IOException {
        List<Column> features = new ArrayList<>();
        String labelColumn = types(reference, label, features);
        Schema schema = new Schema(labelColumn == null ? "\u0000no label" : labelColumn, features);
        Profile profile;
        try (InputStream in = reference.open()) {
            profile = DatasetScanner.scan(in, new DatasetScanner.Mode.Validate(schema), ValidationConfig.defaults())
                    .profile();
        }
        CurrentWindow window = new CurrentWindow(Reference.of(profile, config.bins()), config);
        try (InputStream in = current.open();
             CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw new IllegalArgumentException("the current file is empty: it needs a header and rows");
            }
            List<String> header = strip(records.next().getFields());
            int[] index = new int[header.size()];
            int labelAt = -1;
            for (int i = 0; i < header.size(); i++) {
                index[i] = window.index(header.get(i));
                if (header.get(i).equals(labelColumn)) {
                    labelAt = i;
                }
            }
            while (records.hasNext()) {
                List<String> fields = records.next().getFields();
                if (fields.size() == 1 && fields.get(0).isEmpty()) {
                    continue; // a blank line
                }
                window.row();
                for (int i = 0; i < Math.min(fields.size(), index.length); i++) {
                    if (index[i] >= 0) {
                        window.text(index[i], fields.get(i));
                    } else if (i == labelAt && !Missing.isMissing(fields.get(i))) {
                        window.prediction(fields.get(i).trim());
                    }
                }
            }
        }
        return DriftAnalysis.compare(window, config);
    }

    /** The reference's features and their types from its first rows; returns the label column (or null). */
    private static String types(Source reference, String label, List<Column> features) throws IOException {
        try (InputStream in = reference.open();
             CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw new IllegalArgumentException("the reference file is empty: it needs a header and rows");
            }
            List<String> header = strip(records.next().getFields());
            String labelColumn = label != null ? label : header.contains("label") ? "label" : null;
            if (label != null && !header.contains(label)) {
                throw new IllegalArgumentException("the reference has no column \"" + label + "\" (--label); its "
                        + "columns: " + String.join(", ", header));
            }
            long[] present = new long[header.size()];
            long[] numbers = new long[header.size()];
            for (int r = 0; r < INFERENCE_ROWS && records.hasNext(); r++) {
                List<String> fields = records.next().getFields();
                for (int i = 0; i < Math.min(fields.size(), header.size()); i++) {
                    String v = fields.get(i);
                    if (!Missing.isMissing(v)) {
                        present[i]++;
                        if (Numbers.isNumber(v.trim())) {
                            numbers[i]++;
                        }
                    }
                }
            }
            double share = ValidationConfig.defaults().typeMismatchMaxShare();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i);
                if (name.isEmpty() || name.equals(labelColumn) || !seen.add(name)) {
                    continue;
                }
                boolean numeric = present[i] == 0 || present[i] - numbers[i] <= share * present[i];
                features.add(new Column(name, numeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL));
            }
            return labelColumn;
        }
    }

    private static List<String> strip(List<String> header) {
        List<String> out = new ArrayList<>(header.size());
        for (String h : header) {
            out.add(h.trim());
        }
        if (!out.isEmpty() && out.get(0).startsWith("\uFEFF")) {
            out.set(0, out.get(0).substring(1));
        }
        return out;
    }
}

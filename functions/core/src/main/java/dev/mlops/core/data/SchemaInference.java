package dev.mlops.core.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A first upload's column types, from its first rows: a column is numeric when at most {@link
 * ValidationConfig#typeMismatchMaxShare()} of its present values are not numbers (a column with no value at all
 * too), categorical otherwise. Every row of the file is then checked against the types, so a value far down a
 * column that contradicts its type is still reported.
 */
final class SchemaInference {

    private SchemaInference() {
    }

    /**
     * The schema of the rows.
     *
     * @param header the header (empty, duplicate and label columns are not features)
     * @param label  the label column
     * @param rows   the first rows of the file, all well-formed
     */
    static Schema infer(String[] header, String label, List<Row> rows, MissingMarkers markers,
                        ValidationConfig config) {
        List<Column> features = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < header.length; p++) {
            String name = header[p];
            if (name.isEmpty() || name.equals(label) || !seen.add(name)) {
                continue;
            }
            long present = 0;
            long numbers = 0;
            for (Row r : rows) {
                char[] c = r.chars();
                if (!markers.isMissing(c, r.start(p), r.length(p))) {
                    present++;
                    if (!Double.isNaN(NumberParser.parse(c, r.start(p), r.length(p)))) {
                        numbers++;
                    }
                }
            }
            boolean isNumeric = present == 0 || present - numbers <= config.typeMismatchMaxShare() * present;
            features.add(new Column(name, isNumeric ? ColumnType.NUMERIC : ColumnType.CATEGORICAL));
        }
        return new Schema(label, features);
    }
}

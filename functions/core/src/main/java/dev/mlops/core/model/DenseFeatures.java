package dev.mlops.core.model;

import dev.mlops.core.data.DenseTable;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;

/**
 * A {@link DenseTable}'s rows as model features, by the {@link FeatureEncoder}'s rules: a numeric column is the
 * feature named by the column (absent where the value is missing), a categorical column the one-hot feature
 * {@code column=value} with value 1 (absent where missing). Gives dense row-major matrices by a model's feature
 * ids ({@link Layout}) to the trainers that read arrays and to scoring. Names are built once per column and
 * category, not per row.
 */
public final class DenseFeatures {

    private final DenseTable table;
    private final String[] numericName;
    private final String[][] categoryName;

    /** The features of a table. */
    public DenseFeatures(DenseTable table) {
        this.table = table;
        int n = table.features();
        numericName = new String[n];
        categoryName = new String[n][];
        for (int f = 0; f < n; f++) {
            String column = table.schema().features().get(f).name();
            if (table.numeric(f)) {
                numericName[f] = column;
            } else {
                List<String> categories = table.categories(f);
                categoryName[f] = new String[categories.size()];
                for (int k = 0; k < categoryName[f].length; k++) {
                    categoryName[f][k] = FeatureEncoder.oneHotName(column, categories.get(k));
                }
            }
        }
    }

    /** The table. */
    public DenseTable table() {
        return table;
    }

    /**
     * The features the given rows have, as a Tribuo feature map (ids by sorted name, as Tribuo gives them): every
     * numeric column with a value in these rows (its count, range, mean and sum of squares), every category
     * present (a one-hot feature).
     */
    public ImmutableFeatureMap featureMap(int[] rows) {
        List<VariableInfo> infos = new ArrayList<>();
        for (int f = 0; f < numericName.length; f++) {
            if (numericName[f] != null) {
                float[] values = table.numbers(f);
                int count = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double mean = 0;
                double m2 = 0;
                for (int r : rows) {
                    float v = values[r];
                    if (!Float.isNaN(v)) {
                        count++;
                        double delta = v - mean;
                        mean += delta / count;
                        m2 += delta * (v - mean);
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                if (count > 0) {
                    infos.add(new RealInfo(numericName[f], count, max, min, mean, m2));
                }
            } else {
                int[] counts = new int[categoryName[f].length];
                int[] codes = table.codes(f);
                for (int r : rows) {
                    if (codes[r] >= 0) {
                        counts[codes[r]]++;
                    }
                }
                for (int k = 0; k < counts.length; k++) {
                    if (counts[k] > 0) {
                        infos.add(new RealInfo(categoryName[f][k], counts[k], 1, 1, 1, 0));
                    }
                }
            }
        }
        return new ImmutableFeatureMap(infos);
    }

    /** The columns of this table as a model with this feature map sees them. */
    public Layout layout(ImmutableFeatureMap map) {
        return new Layout(map);
    }

    /** Where each column (and category) of the table goes among a model's features. */
    public final class Layout {
        private final int width;
        private final int[] numericId;
        private final int[][] categoryId;

        private Layout(ImmutableFeatureMap map) {
            this.width = map.size();
            int n = numericName.length;
            numericId = new int[n];
            categoryId = new int[n][];
            for (int f = 0; f < n; f++) {
                if (numericName[f] != null) {
                    numericId[f] = id(map, numericName[f]);
                } else {
                    numericId[f] = -1;
                    categoryId[f] = new int[categoryName[f].length];
                    for (int k = 0; k < categoryId[f].length; k++) {
                        categoryId[f][k] = id(map, categoryName[f][k]);
                    }
                }
            }
        }

        private static int id(ImmutableFeatureMap map, String name) {
            return map.get(name) == null ? -1 : map.getID(name);
        }

        /** The model's number of features: a row's width. */
        public int width() {
            return width;
        }

        /**
         * Row {@code r}'s values by feature id into {@code out[offset .. offset + width)}: {@code NaN} for a
         * feature the row does not have (a missing value, another category), as XGBoost reads a missing entry.
         */
        public void fill(int r, float[] out, int offset) {
            java.util.Arrays.fill(out, offset, offset + width, Float.NaN);
            for (int f = 0; f < numericId.length; f++) {
                if (categoryId[f] == null) {
                    if (numericId[f] >= 0) {
                        out[offset + numericId[f]] = table.numbers(f)[r];
                    }
                } else {
                    int code = table.codes(f)[r];
                    if (code >= 0 && categoryId[f][code] >= 0) {
                        out[offset + categoryId[f][code]] = 1f;
                    }
                }
            }
        }

        /** The rows as one row-major matrix ({@link #fill} per row). */
        public float[] matrix(int[] rows) {
            if ((long) rows.length * width > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(rows.length + " rows × " + width
                        + " features do not fit one matrix; score them in parts");
            }
            float[] out = new float[rows.length * width];
            for (int i = 0; i < rows.length; i++) {
                fill(rows[i], out, i * width);
            }
            return out;
        }
    }
}

package dev.mlops.core.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The rule that decides which rows a model trains on and which it never sees: a hash of the row's
 * content, so that the same row lands in the same partition in every version of a dataset,
 * whatever its position in the file. That is what makes a champion and a challenger comparable:
 * a row held out by both rules was trained on by neither.
 *
 * <p>The hash is SHA-256 over a salt ({@code mlops/row-partition/v1/<seed>}) and the row's trimmed
 * cells in schema order (features, then the label), each length-prefixed. Its first 53 bits, as a
 * fraction {@code u} in [0, 1), give the partition: TEST when {@code u < testFraction},
 * VALIDATION when {@code u < testFraction + validationFraction}, TRAIN otherwise.
 *
 * @param scheme             {@value #ROW_HASH}, the only scheme so far (recorded so a future one
 *                           can be told apart)
 * @param seed               the salt: a different seed gives an independent partition
 * @param testFraction       expected share of rows held out for the final score, in (0, 1)
 * @param validationFraction expected share held out for model selection, in [0, 1 − testFraction)
 */
public record SplitSpec(String scheme, long seed, double testFraction, double validationFraction) {

    /** The row-content hash scheme described above. */
    public static final String ROW_HASH = "row-hash-v1";

    /** Where a row goes. */
    public enum Partition { TRAIN, VALIDATION, TEST }

    public SplitSpec {
        Objects.requireNonNull(scheme, "scheme");
        if (!ROW_HASH.equals(scheme)) {
            throw new IllegalArgumentException("unknown split scheme \"" + scheme + "\"; supported: " + ROW_HASH);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test_fraction must be strictly between 0 and 1, got " + testFraction);
        }
        if (!(validationFraction >= 0 && testFraction + validationFraction < 1)) {
            throw new IllegalArgumentException("validation_fraction must be >= 0 and leave rows to train on, got "
                    + validationFraction);
        }
    }

    /** A row-hash split without a validation partition. */
    public static SplitSpec rowHash(long seed, double testFraction) {
        return new SplitSpec(ROW_HASH, seed, testFraction, 0.0);
    }

    /**
     * The partition of one row.
     *
     * @param cells the row's cells in schema order: features, then the label
     */
    public Partition partitionOf(List<String> cells) {
        double u = unit(hash(cells));
        if (u < testFraction) {
            return Partition.TEST;
        }
        return u < testFraction + validationFraction ? Partition.VALIDATION : Partition.TRAIN;
    }

    /**
     * Splits a table's rows. Rows without a label, and rows without any feature value (validation's
     * {@link AnomalyKind#EMPTY_FEATURES}), are left out: no model is fitted or scored on an example without
     * features. Training rows come in hash order,
     * not file order, so the same rows give the same model however the file was ordered.
     */
    public Split split(CsvTable table, Schema schema) {
        int[] columns = columns(table, schema);
        record Hashed(int row, long hash) {
        }
        List<Hashed> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int r = 0; r < table.rows().size(); r++) {
            List<String> row = table.rows().get(r);
            if (!learnable(row, columns)) {
                continue;
            }
            long h = hash(cells(row, columns));
            double u = unit(h);
            if (u < testFraction) {
                test.add(r);
            } else if (u < testFraction + validationFraction) {
                validation.add(r);
            } else {
                train.add(new Hashed(r, h));
            }
        }
        train.sort(Comparator.comparingLong(Hashed::hash).thenComparingInt(Hashed::row));
        return new Split(train.stream().map(Hashed::row).toList(), validation, test);
    }

    /** Whether a row can be learnt from: it has its label and at least one feature value. */
    public static boolean learnable(List<String> row, int[] columns) {
        if (Missing.isMissing(row.get(columns[columns.length - 1]))) {
            return false;
        }
        for (int i = 0; i < columns.length - 1; i++) {
            if (!Missing.isMissing(row.get(columns[i]))) {
                return true;
            }
        }
        return false;
    }

    /** The cells of a row in schema order (features, then the label), as {@link #partitionOf} takes them. */
    public static List<String> cells(List<String> row, int[] columns) {
        List<String> out = new ArrayList<>(columns.length);
        for (int c : columns) {
            out.add(row.get(c));
        }
        return out;
    }

    /** The table's column index of every schema column, features first, then the label. */
    public static int[] columns(CsvTable table, Schema schema) {
        List<String> names = schema.columnNames();
        int[] columns = new int[names.size()];
        for (int i = 0; i < columns.length; i++) {
            columns[i] = table.columnIndex(names.get(i));
            if (columns[i] < 0) {
                throw new IllegalArgumentException("column \"" + names.get(i) + "\" is not in the table");
            }
        }
        return columns;
    }

    /** The row's hash under this spec (the training order; also how moved rows are recorded). */
    public long hashOf(List<String> cells) {
        return hash(cells);
    }

    /** The row's position in [0, 1) that decides its partition. */
    public double unitOf(List<String> cells) {
        return unit(hash(cells));
    }

    private long hash(List<String> cells) {
        MessageDigest sha = sha256();
        sha.update(("mlops/row-partition/v1/" + seed).getBytes(StandardCharsets.UTF_8));
        ByteBuffer length = ByteBuffer.allocate(4);
        for (String cell : cells) {
            byte[] bytes = (cell == null ? "" : cell.trim()).getBytes(StandardCharsets.UTF_8);
            sha.update(length.clear().putInt(bytes.length).array());
            sha.update(bytes);
        }
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    private static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}

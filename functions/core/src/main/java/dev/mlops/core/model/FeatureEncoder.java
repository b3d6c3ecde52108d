package dev.mlops.core.model;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.data.Missing;
import dev.mlops.core.data.Numbers;
import dev.mlops.core.errors.InvalidInstanceException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Feature;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * The one place that turns a row into Tribuo features; used by training and by prediction so they cannot
 * disagree.
 *
 * <ul>
 *   <li>{@link ColumnType#NUMERIC}: a feature named by the column with the numeric value; numbers and strings
 *       that parse as numbers are accepted;</li>
 *   <li>{@link ColumnType#CATEGORICAL}: a one-hot feature {@code column=value} with value 1 (value trimmed);</li>
 *   <li>missing ({@code null}, or a string for which {@link Missing#isMissing(String)} holds, or an absent key):
 *       no feature, as in training.</li>
 * </ul>
 * Fields that are not features of the signature, and values of the wrong kind (booleans, objects or arrays for a
 * numeric feature, objects or arrays for a categorical one) are rejected with an {@link InvalidInstanceException}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FeatureEncoder {

    private final ModelSignature signature;

    /**
     * Creates an encoder for a signature.
     *
     * @param signature the model signature
     */
    public FeatureEncoder(ModelSignature signature) {
        this.signature = Objects.requireNonNull(signature, "signature");
    }

    /**
     * Name of the one-hot feature for a categorical value.
     *
     * @param column column name
     * @param value  category value
     * @return {@code column=value} with the value trimmed
     */
    public static String oneHotName(String column, String value) {
        return column + "=" + value.trim();
    }

    /**
     * Encodes a row.
     *
     * @param row   field name to value ({@link String}, {@link Number}, {@link Boolean} or {@code null})
     * @param index index of the row in its request, used in error messages
     * @return the features, in signature order
     * @throws InvalidInstanceException if a field is unknown or has a value of the wrong kind
     */
    public List<Feature> encode(Map<String, ?> row, int index) {
        if (row == null) {
            throw new InvalidInstanceException(index, null, "expected an object, got null");
        }
        for (String key : row.keySet()) {
            if (signature.feature(key) == null) {
                throw new InvalidInstanceException(index, key, "unknown field; expected one of: "
                        + String.join(", ", signature.features().stream().map(Column::name).toList()));
            }
        }
        List<Feature> features = new ArrayList<>(signature.features().size());
        for (Column c : signature.features()) {
            Object v = row.get(c.name());
            if (c.type() == ColumnType.NUMERIC) {
                Double d = numeric(v, index, c.name());
                if (d != null) {
                    features.add(new Feature(c.name(), d));
                }
            } else {
                String s = categorical(v, index, c.name());
                if (s != null) {
                    features.add(new Feature(oneHotName(c.name(), s), 1.0));
                }
            }
        }
        return features;
    }

    /**
     * Encodes a row into a Tribuo example.
     *
     * @param row    the row, see {@link #encode(Map, int)}
     * @param index  row index for error messages
     * @param output the label (for training) or {@code LabelFactory.UNKNOWN_LABEL} (for prediction)
     * @return the example
     */
    public ArrayExample<Label> toExample(Map<String, ?> row, int index, Label output) {
        return new ArrayExample<>(output, encode(row, index));
    }

    private static Double numeric(Object v, int index, String field) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidInstanceException(index, field, "expected a finite number, got " + v);
            }
            return d;
        }
        if (v instanceof String s) {
            if (Missing.isMissing(s)) {
                return null;
            }
            if (!Numbers.isNumber(s)) {
                throw new InvalidInstanceException(index, field, "expected a number, got \"" + s + "\"");
            }
            return Numbers.parse(s);
        }
        throw new InvalidInstanceException(index, field, "expected a number, got " + describe(v));
    }

    private static String categorical(Object v, int index, String field) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return Missing.isMissing(s) ? null : s.trim();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw new InvalidInstanceException(index, field, "expected a string, got " + describe(v));
    }

    private static String describe(Object v) {
        if (v instanceof Boolean b) {
            return "boolean " + b;
        }
        if (v instanceof Map<?, ?>) {
            return "an object";
        }
        if (v instanceof Collection<?> || v.getClass().isArray()) {
            return "an array";
        }
        return "a value of type " + v.getClass().getSimpleName();
    }
}

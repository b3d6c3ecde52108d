package dev.mlops.core.data;

/**
 * The single definition of a missing value used by inference, validation, profiling, training and prediction
 * (the {@linkplain MissingMarkers#DEFAULT default markers}; a dataset can configure others for validation and
 * profiling in {@link ValidationConfig#missingMarkers()}).
 */
public final class Missing {

    private Missing() {
    }

    /**
     * Whether a cell denotes a missing value: {@code null}, empty, {@code NA}, {@code N/A}, {@code NaN},
     * {@code null} or {@code ?}, after trimming and ignoring case.
     *
     * @param cell raw cell text, may be {@code null}
     * @return true if the cell is missing
     */
    public static boolean isMissing(String cell) {
        return MissingMarkers.DEFAULT.isMissing(cell);
    }
}

package dev.mlops.core.model;

/**
 * A model's own batch scoring of dense rows, for the model classes that have one (XGBoost's booster on a dense
 * matrix, the compact trees walking their arrays): how evaluation scores many rows without a Tribuo
 * {@code Example} per row. Given by the model's family ({@link dev.mlops.core.model.family.Family#denseScorer}).
 */
public interface DenseScorer extends AutoCloseable {

    /**
     * Class scores of rows.
     *
     * @param matrix rows × the model's features, row-major, by the model's feature ids; {@code NaN} where a row
     *               does not have the feature
     * @param rows   number of rows
     * @return rows × the model's outputs, row-major, by the model's output ids
     */
    double[] scores(float[] matrix, int rows);

    /** Frees what the scorer holds outside the Java heap (a native booster); nothing by default. */
    @Override
    default void close() {
    }
}

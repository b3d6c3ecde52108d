package dev.mlops.core.model.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a regression, as scikit-learn computes them ({@code mean_squared_error(squared=False)}, {@code
 * mean_absolute_error}, {@code r2_score}), with a sample of the rows for the report's residual and
 * predicted-vs-true plots.
 *
 * @param rmse      root mean squared error
 * @param mae       mean absolute error
 * @param r2        coefficient of determination: 1 − residual sum of squares / total sum of squares; when every
 *                  true value is the same, 1 for exact predictions and 0 otherwise (scikit-learn's force_finite)
 * @param trainRows rows the model was trained on (0 if unknown to the evaluator)
 * @param testRows  rows evaluated
 * @param points    at most {@value Regression#PLOTTED_POINTS} rows (true, predicted), spread evenly over the rows
 *                  sorted by their true value, for the plots
 */
public record RegressionMetrics(double rmse, double mae, double r2, int trainRows, int testRows, List<Point> points)
        implements Metrics {

    /**
     * One row of the plots.
     *
     * @param truth     its true value
     * @param predicted the model's value
     */
    public record Point(double truth, double predicted) {
    }

    /** Copies the points. */
    public RegressionMetrics {
        points = points == null ? List.of() : List.copyOf(points);
    }

    @Override
    public RegressionMetrics withTrainRows(int n) {
        return new RegressionMetrics(rmse, mae, r2, n, testRows, points);
    }

    @Override
    public Double score(String metric) {
        return switch (metric) {
            case Regression.RMSE -> rmse;
            case Regression.MAE -> mae;
            case Regression.R2 -> r2;
            default -> throw new IllegalArgumentException("unknown regression metric \"" + metric + "\"");
        };
    }

    @Override
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(Regression.RMSE, rmse);
        m.put(Regression.MAE, mae);
        m.put(Regression.R2, r2);
        m.put("rows", testRows);
        return m;
    }
}

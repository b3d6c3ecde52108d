package dev.mlops.core.model.task;

import dev.mlops.core.data.Numbers;
import dev.mlops.core.data.Schema;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import org.tribuo.Model;
import org.tribuo.OutputFactory;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Regression: a label is a number (the cell parsed as validation parses it), the model's output a Tribuo {@link
 * Regressor} of one dimension. Its metrics are RMSE (the default) and MAE, lower is better, and R², higher is
 * better, as scikit-learn computes them. Predictions are {@code {"value": 23.4}}.
 */
public final class Regression extends Task<Regressor> {

    /** The one regression task. */
    public static final Regression TASK = new Regression();

    /** Root mean squared error. */
    public static final String RMSE = "rmse";
    /** Mean absolute error. */
    public static final String MAE = "mae";
    /** Coefficient of determination. */
    public static final String R2 = "r2";

    /** Most rows a metrics document keeps for the plots. */
    public static final int PLOTTED_POINTS = 400;

    /** The name of the one output dimension (Tribuo's default). */
    static final String DIMENSION = Regressor.DEFAULT_NAME;

    /**
     * A holder, so that naming the task's metrics (a config's check, {@link Task#allMetrics}) makes no factory: its
     * first {@code Regressor} starts Tribuo's {@code java.util.logging} logger, whose start looks for a logging
     * backend in every jar of the class path (some 140 under {@code ./mlops}; BENCHMARKS.md, "Validate: no class
     * looked for in every jar").
     */
    private static final class Factory {
        static final RegressionFactory INSTANCE = new RegressionFactory();
    }

    private Regression() {
    }

    @Override
    public String id() {
        return Schema.REGRESSION;
    }

    @Override
    public Class<Regressor> outputClass() {
        return Regressor.class;
    }

    @Override
    public OutputFactory<Regressor> outputFactory() {
        return Factory.INSTANCE;
    }

    /**
     * @throws IllegalArgumentException when the cell is not a finite number (validation refuses such a label)
     */
    @Override
    public Regressor output(String cell) {
        return new Regressor(DIMENSION, number(cell));
    }

    @Override
    public String label(String cell) {
        return cell.trim();
    }

    @Override
    public Prediction prediction(org.tribuo.Prediction<Regressor> p, ModelSignature signature, boolean probabilistic) {
        double[] values = p.getOutput() == null ? new double[0] : p.getOutput().getValues();
        if (values.length != 1 || !Double.isFinite(values[0])) {
            return null;
        }
        return Prediction.value(values[0]);
    }

    @Override
    public boolean probabilistic(Model<Regressor> model) {
        return false;
    }

    @Override
    public List<String> metrics() {
        return List.of(RMSE, MAE, R2);
    }

    @Override
    public boolean higherIsBetter(String metric) {
        return R2.equals(metric);
    }

    @Override
    public RegressionMetrics evaluate(List<String> truth, List<Prediction> predicted, boolean probabilistic) {
        double[] y = new double[truth.size()];
        double[] p = new double[truth.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = number(truth.get(i));
            p[i] = predicted.get(i).value();
        }
        return evaluate(y, p);
    }

    /**
     * RMSE, MAE and R² of predictions against true values, and the plotted sample.
     *
     * @throws IllegalArgumentException when the lengths differ or there is no row
     */
    public RegressionMetrics evaluate(double[] truth, double[] predicted) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw new IllegalArgumentException("need equally many, and at least one, true and predicted values");
        }
        int n = truth.length;
        // Sums of sorted terms: the same rows in another order give the same bits.
        double[] squared = new double[n];
        double[] absolute = new double[n];
        double mean = sorted(truth.clone()) / n;
        double[] deviations = new double[n];
        for (int i = 0; i < n; i++) {
            double e = truth[i] - predicted[i];
            squared[i] = e * e;
            absolute[i] = Math.abs(e);
            double d = truth[i] - mean;
            deviations[i] = d * d;
        }
        double sse = sorted(squared);
        double sst = sorted(deviations);
        double r2 = sst == 0 ? (sse == 0 ? 1 : 0) : 1 - sse / sst;
        return new RegressionMetrics(Math.sqrt(sse / n), sorted(absolute) / n, r2, 0, n, points(truth, predicted));
    }

    /** At most {@link #PLOTTED_POINTS} rows spread evenly over the rows sorted by true value (then predicted). */
    private static List<RegressionMetrics.Point> points(double[] truth, double[] predicted) {
        Integer[] order = new Integer[truth.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> truth[a] != truth[b] ? Double.compare(truth[a], truth[b])
                : Double.compare(predicted[a], predicted[b]));
        int keep = Math.min(PLOTTED_POINTS, order.length);
        List<RegressionMetrics.Point> out = new ArrayList<>(keep);
        for (int k = 0; k < keep; k++) {
            int i = order[(int) ((long) k * order.length / keep)];
            out.add(new RegressionMetrics.Point(truth[i], predicted[i]));
        }
        return out;
    }

    private static double sorted(double[] values) {
        Arrays.sort(values);
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum;
    }

    /** A label cell as a number. */
    static double number(String cell) {
        String t = cell.trim();
        if (!Numbers.isNumber(t) || !Double.isFinite(Numbers.parse(t))) {
            throw new IllegalArgumentException("regression label \"" + cell + "\" is not a finite number");
        }
        return Numbers.parse(t);
    }
}

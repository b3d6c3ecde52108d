package dev.mlops.core.search;

import dev.mlops.core.SvgChart;
import dev.mlops.core.model.task.RegressionMetrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The report page's two plots of a regression's test rows, drawn with {@link SvgChart} as the page's other charts:
 * predicted against true values with the diagonal of perfect predictions, and residuals (true − predicted) against
 * the predicted value with the zero line. Drawn from the metrics' sample of rows ({@link RegressionMetrics#points()}).
 */
final class RegressionPlots {

    private static final int WIDTH = 380;

    private RegressionPlots() {
    }

    /** Both plots, side by side; nothing when the metrics kept no rows. */
    static void render(StringBuilder h, RegressionMetrics m) {
        List<RegressionMetrics.Point> rows = m.points();
        if (rows.isEmpty()) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        List<SvgChart.Point> predictedVsTrue = new ArrayList<>();
        List<SvgChart.Point> residuals = new ArrayList<>();
        for (RegressionMetrics.Point p : rows) {
            lo = Math.min(lo, Math.min(p.truth(), p.predicted()));
            hi = Math.max(hi, Math.max(p.truth(), p.predicted()));
            predictedVsTrue.add(new SvgChart.Point(p.truth(), p.predicted()));
            residuals.add(new SvgChart.Point(p.predicted(), p.truth() - p.predicted()));
        }
        String colour = SvgChart.COLOURS.get(1);
        h.append("<div>");
        h.append(SvgChart.scatter("predicted against true values", predictedVsTrue, colour,
                List.of(new SvgChart.Point(lo, lo), new SvgChart.Point(hi, hi)), SvgChart.Axis.of("true"),
                SvgChart.Axis.of("predicted"), WIDTH));
        h.append(SvgChart.scatter("residuals against predicted values", residuals, colour,
                List.of(new SvgChart.Point(lo, 0), new SvgChart.Point(hi, 0)), SvgChart.Axis.of("predicted"),
                SvgChart.Axis.of("true \u2212 predicted"), WIDTH));
        h.append("</div>\n");
    }
}

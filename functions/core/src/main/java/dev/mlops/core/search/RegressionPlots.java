package dev.mlops.core.search;

import dev.mlops.core.model.task.RegressionMetrics;

import java.util.List;
import java.util.Locale;


/**
 * The report page's two plots of a regression's test rows (SVG, as the other charts of the page): predicted
 * against true values with the diagonal of perfect predictions, and residuals (true − predicted) against the
 * predicted value with the zero line. Drawn from the metrics' sample of rows ({@link RegressionMetrics#points()}).
 */
final class RegressionPlots {

    private static final int SIZE = 360;
    private static final int PAD = 46;

    private RegressionPlots() {
    }

    /** Both plots, side by side. */
    static void render(StringBuilder h, RegressionMetrics m) {
        List<RegressionMetrics.Point> points = m.points();
        if (points.isEmpty()) {
            return;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double maxResidual = 0;
        for (RegressionMetrics.Point p : points) {
            lo = Math.min(lo, Math.min(p.truth(), p.predicted()));
            hi = Math.max(hi, Math.max(p.truth(), p.predicted()));
            maxResidual = Math.max(maxResidual, Math.abs(p.truth() - p.predicted()));
        }
        hi = hi > lo ? hi : lo + 1;
        maxResidual = maxResidual > 0 ? maxResidual : 1;
        Axis values = new Axis(lo, hi);
        Axis residuals = new Axis(-maxResidual, maxResidual);

        open(h, "predicted against true values");
        frame(h, values, values, "true", "predicted");
        line(h, values.x(lo), values.y(lo), values.x(hi), values.y(hi));
        for (RegressionMetrics.Point p : points) {
            dot(h, values.x(p.truth()), values.y(p.predicted()), p);
        }
        h.append("</svg>\n");

        open(h, "residuals against predicted values");
        frame(h, values, residuals, "predicted", "true \u2212 predicted");
        line(h, values.x(lo), residuals.y(0), values.x(hi), residuals.y(0));
        for (RegressionMetrics.Point p : points) {
            dot(h, values.x(p.predicted()), residuals.y(p.truth() - p.predicted()), p);
        }
        h.append("</svg>\n");
    }

    /** A linear scale from data to the plot's pixels (y grows upwards). */
    private record Axis(double lo, double hi) {
        double x(double v) {
            return PAD + (v - lo) / (hi - lo) * (SIZE - PAD - 10);
        }

        double y(double v) {
            return SIZE - PAD - (v - lo) / (hi - lo) * (SIZE - PAD - 10);
        }
    }

    private static void open(StringBuilder h, String label) {
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(SIZE).append("\" height=\"").append(SIZE)
                .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\" font-size=\"11\">\n");
    }

    private static void frame(StringBuilder h, Axis x, Axis y, String xName, String yName) {
        int bottom = SIZE - PAD;
        h.append("<rect x=\"").append(PAD).append("\" y=\"10\" width=\"").append(SIZE - PAD - 10).append("\" height=\"")
                .append(bottom - 10).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        h.append(text(PAD, bottom + 14, "start", num(x.lo()))).append(text(SIZE - 10, bottom + 14, "end", num(x.hi())))
                .append(text((SIZE + PAD) / 2, bottom + 30, "middle", xName))
                .append(text(PAD - 4, bottom, "end", num(y.lo()))).append(text(PAD - 4, 20, "end", num(y.hi())))
                .append("<text transform=\"translate(12,").append((SIZE - PAD) / 2).append(") rotate(-90)\""
                        + " text-anchor=\"middle\">").append(esc(yName)).append("</text>\n");
    }

    private static String text(double x, double y, String anchor, String s) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor,
                esc(s));
    }

    private static void line(StringBuilder h, double x1, double y1, double x2, double y2) {
        h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c62828\""
                + " stroke-dasharray=\"4 3\"/>%n", x1, y1, x2, y2));
    }

    private static void dot(StringBuilder h, double x, double y, RegressionMetrics.Point p) {
        h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#1565c0\""
                + " fill-opacity=\"0.6\"><title>true %s, predicted %s</title></circle>", x, y, num(p.truth()),
                num(p.predicted())));
    }

    private static String esc(String s) {
        return dev.mlops.core.Html.escape(s);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }
}

package dev.mlops.core.search;

import dev.mlops.core.Html;
import dev.mlops.core.model.explain.FeatureImportance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The global explanation of a model as inline SVG: one horizontal bar per feature column, its permutation
 * importance (the accuracy lost when its values are shuffled, with the shuffles' standard deviation as a
 * whisker), largest first; for XGBoost a second bar per column, its share of the total gain. A negative
 * importance (shuffling helped, by chance) is drawn as no bar, its number shown.
 */
public final class ImportanceChart {

    private static final int LEFT = 160;
    private static final int WIDTH = 400;
    private static final int BAR = 10;
    private static final String PERMUTATION = "#1565c0";
    private static final String GAIN = "#ef6c00";

    private ImportanceChart() {
    }

    /**
     * Appends the heading, a sentence saying what the bars are, and the chart.
     *
     * @param h          the page being written
     * @param importance the model's feature importance
     */
    public static void append(StringBuilder h, FeatureImportance importance) {
        List<String> columns = new ArrayList<>(importance.importance().keySet());
        boolean gain = !importance.gain().isEmpty();
        double max = 1e-12;
        for (String c : columns) {
            max = Math.max(max, importance.importance().get(c) + importance.spread().getOrDefault(c, 0.0));
        }
        h.append("<h2>Feature importance (test rows)</h2>\n<p>Permutation importance: the ")
                .append(Html.escape(importance.metric())).append(" lost when a column's values are shuffled among ")
                .append(importance.rows()).append(" test rows (mean of ").append(importance.repeats())
                .append(" shuffles; baseline ").append(String.format(Locale.ROOT, "%.4f", importance.baseline()))
                .append(")").append(gain ? "; and XGBoost's share of the total gain per column." : ".")
                .append("</p>\n");
        int group = gain ? 2 * BAR + 8 : BAR + 8;
        int top = gain ? 20 : 4;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(LEFT + WIDTH + 120)
                .append("\" height=\"").append(top + columns.size() * group + 4)
                .append("\" role=\"img\" aria-label=\"feature importance\" font-size=\"11\">\n");
        if (gain) {
            legend(h, 0, PERMUTATION, "permutation (" + importance.metric() + " lost)");
            legend(h, 1, GAIN, "share of gain");
        }
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            double value = importance.importance().get(c);
            double spread = importance.spread().getOrDefault(c, 0.0);
            int y = top + i * group;
            h.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y + BAR).append("\" text-anchor=\"end\">")
                    .append(Html.escape(c)).append("</text>");
            int len = (int) Math.round(Math.max(0, value) / max * WIDTH);
            h.append(bar(y, len, PERMUTATION, String.format(Locale.ROOT, "%s: %.4f ± %.4f", c, value, spread)));
            int lo = (int) Math.round(Math.max(0, value - spread) / max * WIDTH);
            int hi = (int) Math.round(Math.max(0, value + spread) / max * WIDTH);
            if (hi > lo) {
                h.append("<line x1=\"").append(LEFT + lo).append("\" x2=\"").append(LEFT + hi).append("\" y1=\"")
                        .append(y + BAR / 2).append("\" y2=\"").append(y + BAR / 2).append("\" stroke=\"#000\"/>");
            }
            h.append("<text x=\"").append(LEFT + Math.max(len, hi) + 4).append("\" y=\"").append(y + BAR - 1)
                    .append("\">").append(String.format(Locale.ROOT, "%.4f", value)).append("</text>");
            if (gain) {
                double share = importance.gain().getOrDefault(c, 0.0);
                h.append(bar(y + BAR + 2, (int) Math.round(share * WIDTH), GAIN,
                        String.format(Locale.ROOT, "%s: %.1f%% of the gain", c, 100 * share)));
            }
            h.append('\n');
        }
        h.append("</svg>\n");
    }

    private static void legend(StringBuilder h, int k, String colour, String name) {
        h.append("<rect x=\"").append(LEFT + k * 200).append("\" y=\"2\" width=\"10\" height=\"10\" fill=\"")
                .append(colour).append("\"/><text x=\"").append(LEFT + k * 200 + 14).append("\" y=\"11\">")
                .append(Html.escape(name)).append("</text>");
    }

    private static String bar(int y, int len, String colour, String title) {
        return "<rect x=\"" + LEFT + "\" y=\"" + y + "\" width=\"" + len + "\" height=\"" + BAR + "\" fill=\""
                + colour + "\"><title>" + Html.escape(title) + "</title></rect>";
    }
}

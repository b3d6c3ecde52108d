package dev.mlops.core.search;

import dev.mlops.core.Html;
import dev.mlops.core.SvgChart;
import dev.mlops.core.model.explain.FeatureImportance;
import dev.mlops.core.model.task.BinaryCurves;
import dev.mlops.core.model.task.ClassificationMetrics;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.model.task.RegressionMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report of a training run: the leaderboard, the selected model's confusion
 * matrix and per-class precision/recall/F1 bars on its test rows, for a binary model its ROC and
 * precision-recall curves (drawn as inline SVG with {@link SvgChart}), and its feature importance
 * ({@link ImportanceChart}). No script, no external stylesheet or font: the file opens anywhere, offline, and nothing in it runs.
 */
public final class TrainingReportHtml {

    private TrainingReportHtml() {
    }

    /**
     * Renders the report.
     *
     * @param title       heading, e.g. {@code iris v3}
     * @param facts       short facts shown under the heading (dataset version, blessing, ...), in order
     * @param leaderboard the run's ranking
     * @param test        the selected candidate's test metrics (confusion matrix and per-class metrics)
     * @return UTF-8 bytes of the page
     */
    public static byte[] render(String title, Map<String, String> facts, Leaderboard leaderboard, Metrics test) {
        return render(title, facts, leaderboard, test, null);
    }

    /**
     * Renders the report with the selected model's feature importance ({@link ImportanceChart}).
     *
     * @param importance the selected candidate's feature importance on its test rows; null when unknown
     */
    public static byte[] render(String title, Map<String, String> facts, Leaderboard leaderboard, Metrics test,
                                FeatureImportance importance) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
                        + "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;"
                        + "text-align:right}th{background:#f3f3f3}td.l,th.l{text-align:left}tr.best{background:#e8f4e8}"
                        + "dt{font-weight:bold;float:left;clear:left;width:14em}dd{margin-left:15em}"
                        + "h2{margin-top:1.5em}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<dl>");
        facts.forEach((k, v) -> h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>"));
        h.append("</dl>\n<h2>Leaderboard</h2>\n<p>Ranked by ").append(esc(leaderboard.selectionMetric()))
                .append(" on the validation rows (test rows play no part in the choice).</p>\n");
        leaderboardTable(h, leaderboard);
        if (test instanceof ClassificationMetrics classification && !classification.confusion().isEmpty()) {
            h.append("<h2>Confusion matrix (test rows of the selected model)</h2>\n");
            confusion(h, classification);
            h.append("<h2>Per class (test rows)</h2>\n");
            bars(h, classification);
        } else if (test instanceof RegressionMetrics regression) {
            h.append("<h2>Test rows of the selected model</h2>\n<p>").append(String.format(Locale.ROOT,
                    "RMSE %.4g, MAE %.4g, R\u00b2 %.4f on %d rows", regression.rmse(), regression.mae(),
                    regression.r2(), regression.testRows())).append("</p>\n");
            RegressionPlots.render(h, regression);
        }
        if (test instanceof ClassificationMetrics classification && classification.curves() != null) {
            curves(h, classification);
        }
        if (importance != null && !importance.importance().isEmpty()) {
            ImportanceChart.append(h, importance);
        }
        h.append("</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void leaderboardTable(StringBuilder h, Leaderboard b) {
        List<Leaderboard.Column> columns = b.columns();
        h.append("<table><tr><th>rank</th><th>#</th><th class=\"l\">family</th>");
        columns.forEach(c -> h.append("<th>").append(esc(c.title())).append("</th>"));
        h.append("<th>fit s</th><th class=\"l\">hyper-parameters</th></tr>\n");
        for (Leaderboard.Entry e : b.entries()) {
            boolean best = e.rank() != null && e.rank() == 1;
            h.append(best ? "<tr class=\"best\">" : "<tr>")
                    .append("<td>").append(e.rank() == null ? "-" : e.rank()).append("</td>")
                    .append("<td>").append(e.candidateIndex()).append("</td>")
                    .append("<td class=\"l\">").append(esc(e.algorithm())).append("</td>");
            if (e.rank() == null) {
                h.append("<td class=\"l\" colspan=\"").append(columns.size() + 2).append("\">skipped: ").append(esc(e.reason())).append("</td>");
            } else {
                columns.forEach(c -> h.append(cell(c.of(e))));
                h.append("<td>").append(e.fitMillis() == null ? "-"
                                : String.format(Locale.ROOT, "%.2f", e.fitMillis() / 1000.0)).append("</td>")
                        .append("<td class=\"l\">").append(esc(String.valueOf(new java.util.TreeMap<>(
                                e.hyperParameters())))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /**
     * The confusion matrix as a heat map: true classes down the left with "true class ↓" beside them, predicted
     * classes along the bottom with "predicted class →" right under their names.
     */
    private static void confusion(StringBuilder h, ClassificationMetrics m) {
        List<String> classes = new ArrayList<>(m.confusion().keySet());
        int n = classes.size();
        int cell = Math.max(14, Math.min(40, 640 / Math.max(1, n)));
        int longest = classes.stream().mapToInt(c -> Math.min(24, c.length())).max().orElse(1);
        int names = (int) (longest * 6.2) + 8;
        int left = 22 + names;
        int top = 6;
        int under = (int) (longest * 6.2 * 0.72) + 14; // the turned names' height
        long max = 1;
        for (Map<String, Long> row : m.confusion().values()) {
            for (long v : row.values()) {
                max = Math.max(max, v);
            }
        }
        int bottom = top + n * cell;
        int w = Math.max(left + n * cell + 10, left + 140);
        int hgt = bottom + under + 22;
        h.append("<svg class=\"chart\" width=\"").append(w).append("\" height=\"")
                .append(hgt).append("\" role=\"img\" aria-label=\"confusion matrix\" font-size=\"11\" "
                        + "font-family=\"system-ui,sans-serif\">\n");
        h.append("<g class=\"axis y\"><text class=\"axis-title\" transform=\"translate(12,").append(top + n * cell / 2)
                .append(") rotate(-90)\" text-anchor=\"middle\" fill=\"#656d76\">true class \u2193</text>");
        for (int i = 0; i < n; i++) {
            h.append("<text x=\"").append(left - 6).append("\" y=\"").append(top + i * cell + cell / 2 + 4)
                    .append("\" text-anchor=\"end\">").append(esc(SvgChart.shorten(classes.get(i), 24))).append("</text>");
        }
        h.append("</g>\n<g class=\"axis x\">");
        for (int j = 0; j < n; j++) {
            int x = left + j * cell + cell / 2;
            h.append("<text transform=\"translate(").append(x + 3).append(',').append(bottom + 10)
                    .append(") rotate(-40)\" text-anchor=\"end\">").append(esc(SvgChart.shorten(classes.get(j), 24)))
                    .append("</text>");
        }
        h.append("<text class=\"axis-title\" x=\"").append(left + n * cell / 2).append("\" y=\"").append(bottom + under + 14)
                .append("\" text-anchor=\"middle\" fill=\"#656d76\">predicted class \u2192</text></g>\n");
        for (int i = 0; i < n; i++) {
            int y = top + i * cell;
            Map<String, Long> row = m.confusion().get(classes.get(i));
            for (int j = 0; j < n; j++) {
                long v = row.getOrDefault(classes.get(j), 0L);
                double shade = (double) v / max;
                String fill = i == j ? rgb(shade, 46, 125, 50) : rgb(shade, 198, 40, 40);
                int x = left + j * cell;
                h.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(cell)
                        .append("\" height=\"").append(cell).append("\" fill=\"").append(fill)
                        .append("\" stroke=\"#ddd\"><title>true ").append(esc(classes.get(i))).append(", predicted ")
                        .append(esc(classes.get(j))).append(": ").append(v).append("</title></rect>");
                if (v > 0 && cell >= 20) {
                    h.append("<text x=\"").append(x + cell / 2).append("\" y=\"").append(y + cell / 2 + 4)
                            .append("\" text-anchor=\"middle\" fill=\"").append(shade > 0.5 ? "#fff" : "#000")
                            .append("\">").append(v).append("</text>");
                }
            }
            h.append('\n');
        }
        h.append("</svg>\n");
    }

    /** The ROC and precision-recall curves of a binary model's positive class, side by side. */
    private static void curves(StringBuilder h, ClassificationMetrics m) {
        BinaryCurves c = m.curves();
        List<SvgChart.Point> roc = new ArrayList<>();
        List<SvgChart.Point> pr = new ArrayList<>();
        for (int i = 0; i < c.fpr().size(); i++) {
            roc.add(new SvgChart.Point(c.fpr().get(i), c.tpr().get(i)));
            pr.add(new SvgChart.Point(c.tpr().get(i), c.precision().get(i)));
        }
        h.append("<h2>ROC and precision-recall curves (test rows, positive class ").append(esc(c.positive()))
                .append(")</h2>\n<div>");
        h.append(SvgChart.lines("ROC curve", List.of(new SvgChart.Line("ROC" + (m.rocAuc() == null ? ""
                                : String.format(Locale.ROOT, ", AUC %.4f", m.rocAuc())), SvgChart.COLOURS.get(1), roc,
                        false)), new SvgChart.Axis("false-positive rate", 0.0, 1.0),
                new SvgChart.Axis("true-positive rate (recall)", 0.0, 1.0), true, 380));
        h.append(SvgChart.lines("precision-recall curve", List.of(new SvgChart.Line("precision-recall",
                        SvgChart.COLOURS.get(2), pr, false)), new SvgChart.Axis("recall", 0.0, 1.0),
                new SvgChart.Axis("precision", 0.0, 1.0), false, 380));
        h.append("</div>\n");
    }

    /** Precision, recall and F1 per class on the test rows, with the class's support in its name. */
    private static void bars(StringBuilder h, ClassificationMetrics m) {
        List<String> classes = new ArrayList<>();
        List<Double> precision = new ArrayList<>();
        List<Double> recall = new ArrayList<>();
        List<Double> f1 = new ArrayList<>();
        m.perClass().forEach((name, c) -> {
            classes.add(name + " (" + c.support() + ")");
            precision.add(c.precision());
            recall.add(c.recall());
            f1.add(c.f1());
        });
        h.append(SvgChart.bars("per-class precision, recall and F1", classes, List.of(
                        new SvgChart.Series("precision", SvgChart.COLOURS.get(1), precision),
                        new SvgChart.Series("recall", SvgChart.COLOURS.get(4), recall),
                        new SvgChart.Series("F1", SvgChart.COLOURS.get(3), f1)),
                SvgChart.Axis.of("class (its test rows)"), new SvgChart.Axis("score", 0.0, 1.0),
                Math.max(420, Math.min(960, 90 * classes.size() + 80)))).append('\n');
    }

    private static String cell(Double d) {
        return "<td>" + (d == null ? "-" : String.format(Locale.ROOT, "%.4f", d)) + "</td>";
    }

    private static String rgb(double shade, int r, int g, int b) {
        int rr = (int) Math.round(255 - shade * (255 - r));
        int gg = (int) Math.round(255 - shade * (255 - g));
        int bb = (int) Math.round(255 - shade * (255 - b));
        return String.format(Locale.ROOT, "#%02x%02x%02x", rr, gg, bb);
    }

    private static String esc(String s) {
        return Html.escape(s);
    }
}

package dev.mlops.core.search;

import dev.mlops.core.Html;
import dev.mlops.core.model.task.ClassMetrics;
import dev.mlops.core.model.task.Metrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A self-contained HTML report of a training run: the leaderboard, the selected model's confusion
 * matrix and per-class precision/recall/F1 bars on its test rows, drawn as inline SVG. No script,
 * no external stylesheet or font: the file opens anywhere, offline, and nothing in it runs.
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
        if (test != null && !test.confusion().isEmpty()) {
            h.append("<h2>Confusion matrix (test rows of the selected model)</h2>\n");
            confusion(h, test);
            h.append("<h2>Per class (test rows)</h2>\n");
            bars(h, test);
        }
        h.append("</body></html>\n");
        return h.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void leaderboardTable(StringBuilder h, Leaderboard b) {
        h.append("<table><tr><th>rank</th><th>#</th><th class=\"l\">family</th><th>val acc</th><th>val F1</th>"
                + "<th>val log-loss</th><th>test acc</th><th>test F1</th><th>fit s</th><th class=\"l\">hyper-parameters"
                + "</th></tr>\n");
        for (Leaderboard.Entry e : b.entries()) {
            boolean best = e.rank() != null && e.rank() == 1;
            h.append(best ? "<tr class=\"best\">" : "<tr>")
                    .append("<td>").append(e.rank() == null ? "-" : e.rank()).append("</td>")
                    .append("<td>").append(e.candidateIndex()).append("</td>")
                    .append("<td class=\"l\">").append(esc(e.algorithm())).append("</td>");
            if (e.rank() == null) {
                h.append("<td class=\"l\" colspan=\"7\">skipped: ").append(esc(e.reason())).append("</td>");
            } else {
                h.append(cell(e.validationAccuracy())).append(cell(e.validationMacroF1()))
                        .append(cell(e.validationLogLoss())).append(cell(e.testAccuracy())).append(cell(e.testMacroF1()))
                        .append("<td>").append(e.fitMillis() == null ? "-"
                                : String.format(Locale.ROOT, "%.2f", e.fitMillis() / 1000.0)).append("</td>")
                        .append("<td class=\"l\">").append(esc(String.valueOf(new java.util.TreeMap<>(
                                e.hyperParameters())))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void confusion(StringBuilder h, Metrics m) {
        List<String> classes = new ArrayList<>(m.confusion().keySet());
        int n = classes.size();
        int cell = Math.max(14, Math.min(40, 640 / Math.max(1, n)));
        int left = 120;
        int top = 120;
        long max = 1;
        for (Map<String, Long> row : m.confusion().values()) {
            for (long v : row.values()) {
                max = Math.max(max, v);
            }
        }
        int w = left + n * cell + 10;
        int hgt = top + n * cell + 10;
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(hgt)
                .append("\" role=\"img\" aria-label=\"confusion matrix\" font-size=\"11\">\n")
                .append("<text x=\"").append(left).append("\" y=\"12\">predicted \u2192</text>")
                .append("<text x=\"2\" y=\"").append(top - 4).append("\">true \u2193</text>\n");
        for (int j = 0; j < n; j++) {
            int x = left + j * cell + cell / 2;
            h.append("<text transform=\"translate(").append(x).append(',').append(top - 6)
                    .append(") rotate(-60)\">").append(esc(classes.get(j))).append("</text>");
        }
        for (int i = 0; i < n; i++) {
            int y = top + i * cell;
            h.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + cell / 2 + 4)
                    .append("\" text-anchor=\"end\">").append(esc(classes.get(i))).append("</text>");
            Map<String, Long> row = m.confusion().get(classes.get(i));
            for (int j = 0; j < n; j++) {
                long v = row.getOrDefault(classes.get(j), 0L);
                double shade = (double) v / max;
                String fill = i == j ? rgb(shade, 46, 125, 50) : rgb(shade, 198, 40, 40);
                int x = left + j * cell;
                h.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(cell)
                        .append("\" height=\"").append(cell).append("\" fill=\"").append(fill)
                        .append("\" stroke=\"#ddd\"><title>").append(esc(classes.get(i))).append(" \u2192 ")
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

    private static void bars(StringBuilder h, Metrics m) {
        List<String> classes = new ArrayList<>(m.perClass().keySet());
        int barH = 8;
        int group = 3 * barH + 8;
        int left = 140;
        int width = 400;
        int hgt = 20 + classes.size() * group;
        String[] names = {"precision", "recall", "F1"};
        String[] colours = {"#1565c0", "#ef6c00", "#2e7d32"};
        h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(left + width + 60).append("\" height=\"")
                .append(hgt).append("\" role=\"img\" aria-label=\"per-class precision, recall and F1\" font-size=\"11\">\n");
        for (int k = 0; k < 3; k++) {
            h.append("<rect x=\"").append(left + k * 90).append("\" y=\"2\" width=\"10\" height=\"10\" fill=\"")
                    .append(colours[k]).append("\"/><text x=\"").append(left + k * 90 + 14).append("\" y=\"11\">")
                    .append(names[k]).append("</text>");
        }
        for (int i = 0; i < classes.size(); i++) {
            ClassMetrics c = m.perClass().get(classes.get(i));
            double[] values = {c.precision(), c.recall(), c.f1()};
            int y = 20 + i * group;
            h.append("<text x=\"").append(left - 6).append("\" y=\"").append(y + group / 2)
                    .append("\" text-anchor=\"end\">").append(esc(classes.get(i))).append(" (").append(c.support())
                    .append(")</text>");
            for (int k = 0; k < 3; k++) {
                int len = (int) Math.round(values[k] * width);
                h.append("<rect x=\"").append(left).append("\" y=\"").append(y + k * barH).append("\" width=\"")
                        .append(len).append("\" height=\"").append(barH - 1).append("\" fill=\"").append(colours[k])
                        .append("\"><title>").append(names[k]).append(' ')
                        .append(String.format(Locale.ROOT, "%.4f", values[k])).append("</title></rect>");
            }
            h.append("<text x=\"").append(left + width + 4).append("\" y=\"").append(y + 2 * barH + 4).append("\">")
                    .append(String.format(Locale.ROOT, "%.3f", c.f1())).append("</text>\n");
        }
        h.append("</svg>\n");
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

package dev.mlops.core.drift;

import dev.mlops.core.Html;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A drift comparison as one self-contained web page ({@code drift.html}): no script, no external style sheet,
 * font or image. The verdict on top with its reason; then any extra sections the caller adds (live quality, the
 * retraining); then one card per column, drifted first: the reference and current distributions as inline SVG
 * bars (numeric: bins at the reference's quantiles; categorical: categories), the test, its statistic and
 * p-value, the distance against its threshold, the verdict and its reason, and the outliers.
 */
public final class DriftHtml {

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2328}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
            .muted{color:#656d76}.badge{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;font-weight:600}
            .DRIFTED,.DEGRADED,.FAILED{background:#cf222e}.NO_DRIFT,.OK,.REQUESTED,.STARTED{background:#1a7f37}
            .NOT_ENOUGH_DATA,.NO_FEEDBACK,.COOL_DOWN,.NO_NEW_DATA,.DISABLED{background:#6e7781}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
            .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #d0d7de;border-radius:6px;padding:10px;width:360px}
            .card.DRIFTED{border:2px solid #cf222e}.card h3{font-size:14px;margin:0 0 4px;word-break:break-all}
            .kv{font-size:12px}.kv td{border:none;padding:1px 4px}.legend{font-size:12px}
            .ref{fill:#8c959f}.cur{fill:#0969da}.reason{font-size:12px;margin:4px 0}
            code{background:#f6f8fa;padding:0 3px;border-radius:3px;word-break:break-all}
            """;

    /** A section the caller adds under the verdict: a heading and rows of (name, value). */
    public record Section(String title, String badge, List<String[]> rows) {
    }

    private DriftHtml() {
    }

    /**
     * @param title    the page title (e.g. {@code Drift check: iris v2})
     * @param facts    lines under the title (window, baseline, ...), already plain text
     * @param result   the comparison
     * @param sections extra sections (live quality, retraining), in order
     */
    public static String render(String title, List<String> facts, DriftResult result, List<Section> sections) {
        StringBuilder h = new StringBuilder(32 * 1024);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>").append(CSS).append("</style></head><body>");
        h.append("<h1>").append(esc(title)).append(' ').append(badge(result.verdict().name())).append("</h1>");
        h.append("<p>").append(esc(result.reason())).append("</p><div class=\"muted\">");
        for (String f : facts) {
            h.append(esc(f)).append("<br>");
        }
        DriftResult.Rule r = result.rule();
        h.append(String.format(Locale.ROOT, "rule: a column drifts when its test is significant at alpha %s after the "
                        + "%s correction (%d tests) and its distance exceeds the threshold (Wasserstein/SD > %s, "
                        + "Jensen-Shannon > %s); at least %d values; exact tests up to %,d values, sketches above",
                num(r.alpha()), r.correction(), r.tests(), num(r.numericEffect()), num(r.categoricalEffect()),
                r.minRows(), r.exactMaxRows())).append("</div>");
        for (Section s : sections) {
            h.append("<h2>").append(esc(s.title())).append(s.badge() == null ? "" : " " + badge(s.badge()))
                    .append("</h2><table>");
            for (String[] row : s.rows()) {
                h.append("<tr><th>").append(esc(row[0])).append("</th><td>").append(esc(row[1])).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("<h2>Columns</h2><p class=\"legend\"><svg width=\"10\" height=\"10\"><rect class=\"ref\" width=\"10\" "
                + "height=\"10\"/></svg> reference &nbsp; <svg width=\"10\" height=\"10\"><rect class=\"cur\" width=\"10\" "
                + "height=\"10\"/></svg> current (share of values per bin)</p><div class=\"cards\">");
        List<Map.Entry<String, ColumnDrift>> columns = new ArrayList<>(result.columns().entrySet());
        if (result.prediction() != null) {
            columns.add(Map.entry(Reference.PREDICTION + " (predicted labels)", result.prediction()));
        }
        columns.sort((a, b) -> Integer.compare(rank(a.getValue().verdict()), rank(b.getValue().verdict())));
        for (Map.Entry<String, ColumnDrift> e : columns) {
            card(h, e.getKey(), e.getValue());
        }
        h.append("</div></body></html>");
        return h.toString();
    }

    private static int rank(Verdict v) {
        return v == Verdict.DRIFTED ? 0 : v == Verdict.NO_DRIFT ? 1 : 2;
    }

    private static void card(StringBuilder h, String name, ColumnDrift c) {
        h.append("<div class=\"card ").append(c.verdict()).append("\"><h3>").append(esc(name)).append(' ')
                .append(badge(c.verdict().name())).append("</h3>");
        if (c.distribution() != null) {
            bars(h, c.distribution());
        }
        h.append("<div class=\"reason\">").append(esc(c.reason())).append("</div><table class=\"kv\">");
        kv(h, "test", c.test() == null ? "none" : c.test() + (c.statistic() == null ? "" : ", statistic "
                + num(c.statistic())) + (c.pValue() == null ? "" : ", p " + DriftAnalysis.pValue(c.pValue()))
                + (c.pValueAdjusted() == null ? "" : ", adjusted " + DriftAnalysis.pValue(c.pValueAdjusted())));
        if (c.distance() != null) {
            kv(h, c.distanceName(), num(c.distance()) + " (threshold " + num(c.threshold()) + ")");
        }
        if (c.sketchError() != null) {
            kv(h, "sketch rank error", num(c.sketchError()));
        }
        if (c.psi() != null) {
            kv(h, "PSI", num(c.psi()));
        }
        kv(h, "values", String.format(Locale.ROOT, "reference %,d · current %,d (missing %,d, invalid %,d)",
                c.referenceCount(), c.currentCount(), c.currentMissing(), c.currentInvalid()));
        if (c.referenceMean() != null && c.currentMean() != null) {
            kv(h, "mean (sd)", num(c.referenceMean()) + " (" + num(c.referenceSd()) + ") → " + num(c.currentMean())
                    + " (" + num(c.currentSd()) + ")");
        }
        ColumnDrift.Outliers o = c.outliers();
        if (o != null && o.below() + o.above() > 0) {
            kv(h, "numeric".equals(c.type()) ? "outside the reference range" : "unseen categories",
                    String.format(Locale.ROOT, "%,d below, %,d above (%s%%)", o.below(), o.above(),
                            num(100 * o.share())) + (o.examples().isEmpty() ? "" : ", e.g. "
                            + String.join(", ", o.examples())));
        }
        h.append("</table></div>");
    }

    /** Grouped bars: reference and current share per bin, scaled to the largest share. */
    private static void bars(StringBuilder h, ColumnDrift.Distribution d) {
        int n = Math.min(d.labels().size(), 40);
        double max = 1e-12;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.max(d.reference().get(i), d.current().get(i)));
        }
        int width = 340;
        int height = 90;
        double slot = (double) width / Math.max(1, n);
        double bar = Math.max(1, slot / 2 - 1);
        h.append("<svg width=\"").append(width).append("\" height=\"").append(height + 2)
                .append("\" role=\"img\" aria-label=\"reference and current distributions\">");
        for (int i = 0; i < n; i++) {
            double x = i * slot;
            rect(h, "ref", x, d.reference().get(i) / max * height, bar, height, d.labels().get(i), d.reference().get(i));
            rect(h, "cur", x + bar, d.current().get(i) / max * height, bar, height, d.labels().get(i), d.current().get(i));
        }
        h.append("</svg>");
        if (n < d.labels().size()) {
            h.append("<div class=\"muted\">first ").append(n).append(" of ").append(d.labels().size())
                    .append(" categories</div>");
        }
    }

    private static void rect(StringBuilder h, String cls, double x, double barHeight, double width, int height,
                             String label, double share) {
        h.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                        + "<title>%s: %s%%</title></rect>", cls, x, height - barHeight, width, Math.max(0.5, barHeight),
                esc(label), num(100 * share)));
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><td class=\"muted\">").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
    }

    private static String badge(String v) {
        return "<span class=\"badge " + esc(v) + "\">" + esc(v) + "</span>";
    }

    private static String num(Double d) {
        if (d == null) {
            return "–";
        }
        return DriftAnalysis.number(d);
    }

    static String esc(String s) {
        return Html.escape(s);
    }
}

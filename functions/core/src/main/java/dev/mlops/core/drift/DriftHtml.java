package dev.mlops.core.drift;

import dev.mlops.core.Html;
import dev.mlops.core.SvgChart;

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
            .badge.DRIFTED,.badge.DEGRADED,.badge.FAILED{background:#cf222e}
            .badge.NO_DRIFT,.badge.OK,.badge.REQUESTED,.badge.STARTED{background:#1a7f37}
            .badge.NOT_ENOUGH_DATA,.badge.NO_FEEDBACK,.badge.COOL_DOWN,.badge.NO_NEW_DATA,.badge.DISABLED{background:#6e7781}
            table{border-collapse:collapse}td,th{border-bottom:1px solid #d0d7de;padding:3px 8px;text-align:left;vertical-align:top}
            .cards{display:flex;flex-wrap:wrap;gap:12px}
            .card{border:1px solid #d0d7de;border-radius:6px;padding:10px;width:380px;background:#fff}
            .card.drifted{border:2px solid #cf222e}.card h3{font-size:14px;margin:0 0 4px;word-break:break-all}
            .kv{font-size:12px}.kv td{border:none;padding:1px 4px}.legend{font-size:12px}
            .reason{font-size:12px;margin:4px 0}
            code{background:#f6f8fa;padding:0 3px;border-radius:3px;word-break:break-all}
            """;

    private static final String REFERENCE = SvgChart.COLOURS.get(0);
    private static final String CURRENT = SvgChart.COLOURS.get(1);
    /** Bars drawn per card: a column with more categories shows its first ones. */
    private static final int MAX_BARS = 40;

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
        h.append("<h2>Columns</h2><p class=\"legend\">").append(SvgChart.swatch(REFERENCE)).append(" reference &nbsp; ")
                .append(SvgChart.swatch(CURRENT)).append(" current: the share of values per bin (numeric: bins at the "
                        + "reference's quantiles) or per category</p><div class=\"cards\">");
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
        // The card is outlined by its verdict (in lower case: the badge's class alone colours a background).
        h.append("<div class=\"card ").append(c.verdict().name().toLowerCase(Locale.ROOT)).append("\"><h3>")
                .append(esc(name)).append(' ').append(badge(c.verdict().name())).append("</h3>");
        if (c.distribution() != null) {
            bars(h, name, c.type(), c.distribution());
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
        ColumnDrift.MissingShare m = c.missing();
        if (m != null) {
            kv(h, "missing share", String.format(Locale.ROOT, "%s%% → %s%% (%s%s points; threshold %s points%s)",
                    percent(m.reference()), percent(m.current()), m.change() >= 0 ? "+" : "−",
                    percent(Math.abs(m.change())), percent(m.threshold()), m.changed() ? "; CHANGED, chi_square p "
                            + DriftAnalysis.pValue(m.pValue()) : ""));
        }
        if (c.referenceMean() != null && c.currentMean() != null) {
            kv(h, "mean (sd)", num(c.referenceMean()) + " (" + num(c.referenceSd()) + ") → " + num(c.currentMean())
                    + " (" + num(c.currentSd()) + ")");
        }
        ColumnDrift.Outliers o = c.outliers();
        if (o != null && o.below() + o.above() > 0) {
            String examples = o.examples().isEmpty() ? "" : ", e.g. " + String.join(", ", o.examples());
            if ("numeric".equals(c.type())) {
                kv(h, "outside the reference range", String.format(Locale.ROOT, "%,d below, %,d above (%s%%)",
                        o.below(), o.above(), num(100 * o.share())) + examples);
            } else {
                kv(h, "unseen categories", String.format(Locale.ROOT, "%,d value%s in categories the reference "
                        + "never had (%s%%)", o.above(), o.above() == 1 ? "" : "s", num(100 * o.share())) + examples);
            }
        }
        h.append("</table></div>");
    }

    /** Reference and current share per bin or category, with the bins' ranges or the categories' names. */
    private static void bars(StringBuilder h, String column, String type, ColumnDrift.Distribution d) {
        int n = Math.min(d.labels().size(), MAX_BARS);
        List<Double> reference = new ArrayList<>();
        List<Double> current = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            reference.add(100 * d.reference().get(i));
            current.add(100 * d.current().get(i));
        }
        h.append(SvgChart.bars("reference and current distributions of " + column, d.labels().subList(0, n),
                List.of(new SvgChart.Series("reference", REFERENCE, reference),
                        new SvgChart.Series("current", CURRENT, current)),
                SvgChart.Axis.of(column.startsWith(Reference.PREDICTION) ? "predicted label"
                        : "numeric".equals(type) ? column + " (bins at the reference's quantiles)" : column),
                SvgChart.Axis.of("% of values"), 360));
        if (n < d.labels().size()) {
            h.append("<div class=\"muted\">first ").append(n).append(" of ").append(d.labels().size())
                    .append(" categories</div>");
        }
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><td class=\"muted\">").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
    }

    private static String badge(String v) {
        return "<span class=\"badge " + esc(v) + "\">" + esc(v) + "</span>";
    }

    /** A share as a percentage with one decimal: 0.123 is {@code 12.3}. */
    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f", 100 * share);
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

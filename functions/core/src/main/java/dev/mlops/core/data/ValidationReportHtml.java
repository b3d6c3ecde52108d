package dev.mlops.core.data;

import dev.mlops.core.Html;
import dev.mlops.core.SvgChart;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The validation report as one self-contained web page ({@code report.html}): no script, no external style
 * sheet, font or image. The summary, every anomaly (errors in red, warnings in amber), then one card per column
 * with its statistics, its missing share and an inline SVG histogram (numeric: over the column's bulk, with the
 * values beyond it counted) or bar chart of its most frequent values (categorical and label), drawn by {@link
 * SvgChart}; a column with an anomaly is outlined in its severity's colour.
 */
public final class ValidationReportHtml {

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1f2328}
            h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
            .muted{color:#656d76}.badge{display:inline-block;padding:2px 8px;border-radius:10px;color:#fff;font-weight:600}
            .VALID{background:#1a7f37}.INVALID,.REJECTED{background:#cf222e}
            table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
            tr.ERROR td:first-child{border-left:4px solid #cf222e}tr.WARNING td:first-child{border-left:4px solid #bf8700}
            .sev-ERROR{color:#cf222e;font-weight:600}.sev-WARNING{color:#9a6700;font-weight:600}
            .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #d0d7de;border-radius:6px;padding:10px;width:340px}
            .card.ERROR{border:2px solid #cf222e}.card.WARNING{border:2px solid #bf8700}
            .card h3{font-size:14px;margin:0 0 4px;word-break:break-all}.kv{font-size:12px}.kv td{border:none;padding:1px 4px}
            .meter{height:8px;background:#d0d7de;margin:2px 0 6px}.meter div{height:8px;background:#cf222e}
            .outside{font-size:12px;color:#9a6700}
            code{background:#f6f8fa;padding:0 3px;border-radius:3px;word-break:break-all}
            """;

    /** The charts' width in a card. */
    private static final int WIDTH = 330;

    private ValidationReportHtml() {
    }

    /**
     * Renders the page.
     *
     * @param report  the validation report
     * @param schema  the schema the rows were checked against (may be {@code null})
     * @param profile the profile (may be {@code null})
     * @return the HTML document
     */
    public static String render(DatasetReport report, Schema schema, Profile profile) {
        StringBuilder h = new StringBuilder(16 * 1024);
        String title = "Validation report" + (report.dataset() == null ? "" : ": " + report.dataset());
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title><style>").append(CSS).append("</style></head><body>");
        h.append("<h1>").append(esc(title)).append(" <span class=\"badge ").append(esc(report.status())).append("\">")
                .append(esc(report.status())).append("</span></h1>");
        h.append("<div class=\"muted\">");
        if (report.version() != null) {
            h.append("version <code>").append(esc(report.version())).append("</code> · ");
        }
        if (report.sourceKey() != null) {
            h.append("<code>").append(esc(report.sourceKey())).append("</code> · ");
        }
        h.append(String.format(Locale.ROOT, "%,d rows · %d columns · %,d bytes", report.rows(), report.columns(),
                report.bytes()));
        if (report.schema() != null) {
            h.append(" · schema ").append(esc(report.schema()));
        }
        if (report.task() != null) {
            h.append(" · task <b>").append(esc(report.task())).append("</b>");
        }
        if (!report.complete() && !"REJECTED".equals(report.status())) {
            h.append(" · <b>not every row was checked</b>");
        }
        h.append("</div>");
        if (report.taskReason() != null) {
            h.append("<p class=\"muted\">").append(esc(report.taskReason())).append("</p>");
        }

        h.append("<h2>Anomalies: ").append(report.errors()).append(" error(s), ").append(report.warnings())
                .append(" warning(s)</h2>");
        if (report.anomalies().isEmpty()) {
            h.append("<p>None: every check passed.</p>");
        } else {
            h.append("<table><tr><th>severity</th><th>kind</th><th>column</th><th>rows</th><th>what to do</th>"
                    + "<th>examples (line: value)</th></tr>");
            for (Anomaly a : report.anomalies()) {
                h.append("<tr class=\"").append(a.severity()).append("\"><td class=\"sev-").append(a.severity())
                        .append("\">").append(a.severity()).append("</td><td>").append(a.kind()).append("</td><td>")
                        .append(a.column() == null ? "" : "<code>" + esc(a.column()) + "</code>").append("</td><td>")
                        .append(a.rows() == 0 ? "" : String.format(Locale.ROOT, "%,d", a.rows())).append("</td><td>")
                        .append(esc(a.message())).append("</td><td>");
                for (Anomaly.Example e : a.examples()) {
                    h.append(e.line()).append(e.value() == null ? "" : ": <code>" + esc(e.value()) + "</code>")
                            .append("<br>");
                }
                h.append("</td></tr>");
            }
            h.append("</table>");
        }

        if (profile != null && schema != null) {
            Map<String, Severity> worst = worstByColumn(report.anomalies());
            h.append("<h2>Columns</h2><div class=\"cards\">");
            for (FeatureProfile f : profile.features().values()) {
                card(h, f, profile.rows(), worst.get(f.name()));
            }
            if (profile.target() != null) {
                card(h, profile.target(), profile.rows(), worst.get(schema.label()));
            } else {
                labelCard(h, schema.label(), profile, worst.get(schema.label()));
            }
            h.append("</div>");
        }
        h.append("<p class=\"muted\">Histograms and quantiles come from KLL sketches (rank error about 1.65 %), "
                + "distinct counts of large columns from HLL sketches (about 1.6 %); counts, missing shares, minima "
                + "and maxima are exact.</p></body></html>");
        return h.toString();
    }

    private static Map<String, Severity> worstByColumn(List<Anomaly> anomalies) {
        Map<String, Severity> worst = new HashMap<>();
        for (Anomaly a : anomalies) {
            if (a.column() != null) {
                worst.merge(a.column(), a.severity(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
            }
        }
        return worst;
    }

    private static void card(StringBuilder h, FeatureProfile f, long rows, Severity worst) {
        h.append("<div class=\"card").append(worst == null ? "" : " " + worst).append("\"><h3>").append(esc(f.name()))
                .append(" <span class=\"muted\">").append(f.type().name().toLowerCase(Locale.ROOT)).append("</span></h3>");
        double missingShare = rows == 0 ? 0 : (double) f.missing() / rows;
        h.append(String.format(Locale.ROOT, "<div class=\"meter\" title=\"missing %.1f%%\"><div style=\"width:%.1f%%\">"
                + "</div></div>", missingShare * 100, missingShare * 100));
        h.append("<table class=\"kv\">");
        kv(h, "values", String.format(Locale.ROOT, "%,d", f.count()));
        kv(h, "missing", String.format(Locale.ROOT, "%,d (%.1f%%)", f.missing(), missingShare * 100));
        if (f.invalid() != null && f.invalid() > 0) {
            kv(h, "not numbers", String.format(Locale.ROOT, "%,d", f.invalid()));
        }
        if (f.distinct() != null) {
            kv(h, "distinct", String.format(Locale.ROOT, "%,d", f.distinct()));
        }
        if (f.mean() != null) {
            kv(h, "mean ± sd", num(f.mean()) + (f.stddev() == null ? "" : " ± " + num(f.stddev())));
            kv(h, "min … max", num(f.min()) + " … " + num(f.max()));
        }
        if (f.quantiles() != null) {
            kv(h, "p5 · p50 · p95", num(f.quantiles().get("p5")) + " · " + num(f.quantiles().get("p50")) + " · "
                    + num(f.quantiles().get("p95")));
        }
        h.append("</table>");
        if (f.histogram() != null) {
            histogram(h, f.name(), f.histogram(), f.min(), f.max());
        }
        if (f.top() != null && !f.top().isEmpty()) {
            List<String> names = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            for (FeatureProfile.Frequent t : f.top()) {
                names.add(t.value());
                counts.add(t.count());
            }
            h.append(SvgChart.barsAcross("most frequent values of " + f.name(), names, counts, "#8250df", "rows",
                    WIDTH));
        }
        h.append("</div>");
    }

    private static void labelCard(StringBuilder h, String label, Profile p, Severity worst) {
        h.append("<div class=\"card").append(worst == null ? "" : " " + worst).append("\"><h3>").append(esc(label))
                .append(" <span class=\"muted\">label</span></h3><table class=\"kv\">");
        kv(h, "classes", String.valueOf(p.labels().size()));
        h.append("</table>");
        List<String> names = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        p.labels().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(15)
                .forEach(e -> {
                    names.add(e.getKey());
                    counts.add(e.getValue());
                });
        h.append(SvgChart.barsAcross("rows per class of " + label, names, counts, "#8250df", "rows", WIDTH));
        h.append("</div>");
    }

    /** The histogram over the column's bulk, and how many values lie beyond it (not drawn). */
    private static void histogram(StringBuilder h, String column, FeatureProfile.Histogram hist, Double min,
                                  Double max) {
        h.append(SvgChart.histogram("histogram of " + column, hist.edges(), hist.counts(), column, WIDTH));
        long below = hist.below() == null ? 0 : hist.below();
        long above = hist.above() == null ? 0 : hist.above();
        if (below + above > 0) {
            List<String> parts = new ArrayList<>();
            if (below > 0) {
                parts.add(String.format(Locale.ROOT, "%,d below %s (min %s)", below, num(hist.edges()[0]), num(min)));
            }
            if (above > 0) {
                parts.add(String.format(Locale.ROOT, "%,d above %s (max %s)", above,
                        num(hist.edges()[hist.edges().length - 1]), num(max)));
            }
            h.append("<div class=\"outside\">outliers not drawn: ").append(esc(String.join(", ", parts)))
                    .append("</div>");
        }
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><td class=\"muted\">").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>");
    }

    private static String num(Double d) {
        if (d == null) {
            return "–";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return String.valueOf(d.longValue());
        }
        return String.format(Locale.ROOT, "%.4g", d);
    }

    private static String esc(String s) {
        return Html.escape(s);
    }
}

package dev.mlops.local.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mlops.core.Html;
import dev.mlops.core.Json;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's HTML: the frame every page shares (header, navigation, which stack), tables, badges, links and
 * chart placeholders. Text is always escaped ({@link Html#escape}); a chart is a canvas with its data in a JSON
 * block beside it, which {@code console.js} hands to Chart.js.
 */
final class Markup {

    private final StringBuilder h = new StringBuilder(8 * 1024);

    /** Appends markup as it is (only for markup built here). */
    Markup raw(String html) {
        h.append(html);
        return this;
    }

    /** Appends text, escaped. */
    Markup text(String text) {
        h.append(esc(text));
        return this;
    }

    Markup heading(int level, String text) {
        h.append("<h").append(level).append('>').append(esc(text)).append("</h").append(level).append('>');
        return this;
    }

    /** A paragraph of text. */
    Markup para(String text) {
        h.append("<p>").append(esc(text)).append("</p>");
        return this;
    }

    /** A muted note. */
    Markup note(String text) {
        h.append("<p class=\"muted\">").append(esc(text)).append("</p>");
        return this;
    }

    /**
     * A table.
     *
     * @param headers column headings
     * @param rows    cells, already markup (use {@link #esc}, {@link #link}, {@link #badge})
     * @param id      the table's id (for tests and links), or null
     */
    Markup table(List<String> headers, List<List<String>> rows, String id) {
        h.append("<table").append(id == null ? "" : " id=\"" + esc(id) + "\"").append("><thead><tr>");
        headers.forEach(x -> h.append("<th>").append(esc(x)).append("</th>"));
        h.append("</tr></thead><tbody>");
        for (List<String> row : rows) {
            h.append("<tr>");
            row.forEach(c -> h.append("<td>").append(c).append("</td>"));
            h.append("</tr>");
        }
        h.append("</tbody></table>");
        if (rows.isEmpty()) {
            h.append("<p class=\"muted\">none</p>");
        }
        return this;
    }

    /** Facts as a two-column list. */
    Markup facts(Map<String, String> facts) {
        h.append("<dl class=\"facts\">");
        facts.forEach((k, v) -> h.append("<dt>").append(esc(k)).append("</dt><dd>").append(v == null ? "–" : v)
                .append("</dd>"));
        h.append("</dl>");
        return this;
    }

    /**
     * A chart: a canvas and its data. {@code spec} is what {@code console.js} draws: {@code kind} ({@code bar},
     * {@code line} or {@code time}), {@code labels}, {@code series} (each with {@code label} and {@code data}),
     * axis titles, and for a timeline {@code markers} (time, label, kind).
     */
    Markup chart(String id, String caption, Map<String, Object> spec) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        h.append("<figure class=\"chart\"><figcaption>").append(esc(caption)).append("</figcaption>")
                .append("<div class=\"canvas\"><canvas id=\"").append(esc(id)).append("\" role=\"img\" aria-label=\"")
                .append(esc(caption)).append("\"></canvas></div><script type=\"application/json\" data-chart=\"")
                .append(esc(id)).append("\">")
                // JSON inside a script element: "</" would end it, so it is written as "<\/" (still the same JSON).
                .append(json.replace("</", "<\\/")).append("</script></figure>");
        return this;
    }

    /** A report page of the bucket, framed (it is script-free and served with its own strict policy). */
    Markup frame(String key, String title) {
        h.append("<iframe class=\"report\" sandbox title=\"").append(esc(title)).append("\" src=\"")
                .append(esc(reportHref(key))).append("\"></iframe>");
        return this;
    }

    @Override
    public String toString() {
        return h.toString();
    }

    // ------------------------------------------------------------------ cells

    static String esc(String s) {
        return Html.escape(s);
    }

    static String link(String href, String text) {
        return "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
    }

    static String code(String text) {
        return "<code>" + esc(text) + "</code>";
    }

    /** A status as a coloured badge (the colour comes from the status's class in console.css). */
    static String badge(String status) {
        return status == null ? "–" : "<span class=\"badge " + esc(status) + "\">" + esc(status) + "</span>";
    }

    static String number(Double d, int decimals) {
        return d == null ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", d);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String path(String... parts) {
        StringBuilder s = new StringBuilder();
        for (String p : parts) {
            s.append('/').append(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return s.toString();
    }

    /** Where the console serves a report page or document of the bucket. */
    static String reportHref(String key) {
        return "/reports/" + key;
    }

    /** A time as people read it in a table: {@code 2025-12-06 07:35:12Z}. */
    static String time(Object instant) {
        if (instant == null) {
            return "–";
        }
        String s = instant.toString();
        int dot = s.indexOf('.');
        return (dot > 0 ? s.substring(0, dot) + "Z" : s).replace('T', ' ');
    }

    // ------------------------------------------------------------------ the frame

    /** Which section of the console a page belongs to. */
    enum Section {
        MODELS("Models", "/models"), RUNS("Runs", "/runs"), DATASETS("Datasets", "/datasets");

        final String title;
        final String href;

        Section(String title, String href) {
            this.title = title;
            this.href = href;
        }
    }

    /** A whole page: the header (navigation, which stack), the breadcrumbs, then the body. */
    static String page(String title, Section section, String stack, List<String[]> crumbs, Markup body) {
        StringBuilder p = new StringBuilder(body.h.length() + 2048);
        p.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · mlops</title>")
                .append("<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/console.css\">")
                .append("<script src=\"/static/chart.umd.min.js\" defer></script>")
                .append("<script src=\"/static/console.js\" defer></script></head><body>")
                .append("<header><a class=\"brand\" href=\"/models\">mlops</a><nav>");
        for (Section s : Section.values()) {
            p.append("<a href=\"").append(s.href).append('"').append(s == section ? " class=\"active\"" : "")
                    .append('>').append(s.title).append("</a>");
        }
        p.append("</nav><span class=\"stack\">").append(esc(stack)).append(" · read-only</span></header><main>");
        if (!crumbs.isEmpty()) {
            p.append("<div class=\"crumbs\">");
            for (int i = 0; i < crumbs.size(); i++) {
                String[] c = crumbs.get(i);
                p.append(i == 0 ? "" : " / ").append(c[1] == null ? esc(c[0]) : link(c[1], c[0]));
            }
            p.append("</div>");
        }
        p.append("<h1>").append(esc(title)).append("</h1>").append(body.h).append("</main></body></html>");
        return p.toString();
    }
}

package dev.mlops.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report pages' charts (validation, training, drift) as inline SVG: no script, so the pages stay
 * self-contained. Every chart has its axes with ticks and a title on each, names on its bars (a long name is
 * shortened, and whole in the bar's tooltip), and a legend when it has more than one series. Text is escaped with
 * {@link Html#escape}.
 *
 * <p>Drawn here rather than with a charting library because the pages must run no script (a library such as
 * Chart.js draws in the browser); the console, which may run its own script, draws its charts with Chart.js.
 */
public final class SvgChart {

    /** The palette of the series, in order. */
    public static final List<String> COLOURS = List.of("#8c959f", "#0969da", "#bf3989", "#1a7f37", "#9a6700",
            "#8250df");
    private static final String MUTED = "#656d76";
    private static final int FONT = 11;
    /** Average width of a character at the axis font, for room around names. */
    private static final double CHAR = 6.2;

    private SvgChart() {
    }

    /** A series of values, one per category, drawn in a colour. */
    public record Series(String name, String colour, List<Double> values) {
    }

    /** A point of a line. */
    public record Point(double x, double y) {
    }

    /** A line through points, drawn in a colour, solid or dashed. */
    public record Line(String name, String colour, List<Point> points, boolean dashed) {
    }

    /** An axis: its title, and its range (null: from the data, starting at 0 for bars). */
    public record Axis(String title, Double min, Double max) {

        /** An axis whose range comes from the data. */
        public static Axis of(String title) {
            return new Axis(title, null, null);
        }
    }

    // ------------------------------------------------------------------ charts

    /**
     * Vertical bars, grouped by category: each group's name under it (turned when the names are long), a value
     * axis from 0 with ticks, a legend of the series.
     *
     * @param label      what the chart shows (its accessible name)
     * @param categories the groups, in order
     * @param series     one value per category each (null: no bar)
     * @param x          the category axis (its title)
     * @param y          the value axis
     * @param width      the chart's width in pixels
     */
    public static String bars(String label, List<String> categories, List<Series> series, Axis x, Axis y, int width) {
        int n = Math.max(1, categories.size());
        int longest = categories.stream().mapToInt(String::length).max().orElse(1);
        double slot = (width - 60.0) / n;
        boolean turned = longest * CHAR > slot - 4;
        int under = turned ? (int) Math.min(110, Math.min(longest, 18) * CHAR * 0.72 + 14) : 16;
        double max = y.max() != null ? y.max() : series.stream().flatMap(s -> s.values().stream())
                .filter(v -> v != null).mapToDouble(Double::doubleValue).max().orElse(1);
        Frame f = new Frame(width, 170 + under + legendHeight(series.size()), 52, 10, under + 20
                + legendHeight(series.size()), 10, 0, max <= 0 ? 1 : max, y.min() != null ? y.min() : 0,
                max <= 0 ? 1 : max);
        StringBuilder s = f.open(label);
        f.valueAxis(s, y.title());
        double bar = Math.max(1, (f.plotWidth() / n - 4) / Math.max(1, series.size()));
        for (int i = 0; i < categories.size(); i++) {
            double x0 = f.left + i * f.plotWidth() / n + 2;
            for (int k = 0; k < series.size(); k++) {
                Double v = series.get(k).values().get(i);
                if (v == null) {
                    continue;
                }
                double top = f.py(Math.max(v, f.ymin));
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                + "fill=\"%s\"><title>%s, %s: %s</title></rect>", x0 + k * bar, top,
                        Math.max(0.5, bar - 1), Math.max(0.5, f.py(f.ymin) - top), series.get(k).colour(),
                        esc(categories.get(i)), esc(series.get(k).name()), number(v)));
            }
            double cx = x0 + (f.plotWidth() / n - 4) / 2;
            String name = shorten(categories.get(i), turned ? 18 : Math.max(3, (int) (slot / CHAR)));
            if (turned) {
                s.append(String.format(Locale.ROOT, "<text class=\"category\" transform=\"translate(%.1f,%.1f) "
                        + "rotate(-40)\" text-anchor=\"end\">%s<title>%s</title></text>", cx + 3, f.bottom() + 12,
                        esc(name), esc(categories.get(i))));
            } else {
                s.append(String.format(Locale.ROOT, "<text class=\"category\" x=\"%.1f\" y=\"%.1f\" "
                        + "text-anchor=\"middle\">%s<title>%s</title></text>", cx, f.bottom() + 13, esc(name),
                        esc(categories.get(i))));
            }
        }
        f.categoryAxis(s, x.title(), under);
        legend(s, f, series.stream().map(Series::name).toList(), series.stream().map(Series::colour).toList());
        return s.append("</svg>").toString();
    }

    /**
     * Horizontal bars, one per name: the names on the left in full (up to 28 characters; longer ones shortened,
     * whole in the tooltip), each value written at the end of its bar, the value axis under them.
     *
     * @param label  what the chart shows
     * @param names  the bars' names, top to bottom
     * @param values their values
     * @param colour the bars' colour
     * @param axis   the value axis's title
     * @param width  the chart's width in pixels
     */
    public static String barsAcross(String label, List<String> names, List<? extends Number> values, String colour,
                                    String axis, int width) {
        int longest = names.stream().mapToInt(n -> Math.min(28, n.length())).max().orElse(1);
        double max = values.stream().mapToDouble(Number::doubleValue).max().orElse(1);
        int valueRoom = (int) (values.stream().mapToInt(v -> number(v.doubleValue()).length()).max().orElse(1)
                * CHAR) + 8;
        int row = 18;
        Frame f = new Frame(width, names.size() * row + 44, (int) (longest * CHAR) + 10, 6, 36, valueRoom, 0,
                max <= 0 ? 1 : max, 0, 1);
        StringBuilder s = f.open(label);
        for (int i = 0; i < names.size(); i++) {
            double v = values.get(i).doubleValue();
            double y = f.top + i * row;
            double len = f.px(v) - f.left;
            s.append(String.format(Locale.ROOT, "<text class=\"category\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s"
                            + "<title>%s</title></text><rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" "
                            + "fill=\"%s\"><title>%s: %s</title></rect><text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s"
                            + "</text>", f.left - 6, y + 12, esc(shorten(names.get(i), 28)), esc(names.get(i)),
                    f.left, y + 2, Math.max(0.5, len), row - 5, colour, esc(names.get(i)), number(v),
                    f.left + len + 4, y + 12, MUTED, esc(number(v))));
        }
        f.horizontalValueAxis(s, axis);
        return s.append("</svg>").toString();
    }

    /**
     * A histogram: contiguous bins over a numeric axis (ticks at the first, middle and last edges), the count
     * axis from 0.
     *
     * @param label  what the chart shows
     * @param edges  bin edges, one more than the counts
     * @param counts values per bin
     * @param x      the values' axis title
     * @param width  the chart's width in pixels
     */
    public static String histogram(String label, double[] edges, long[] counts, String x, int width) {
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        Frame f = new Frame(width, 150, 46, 8, 38, 12, edges[0], edges[edges.length - 1], 0, max);
        StringBuilder s = f.open(label);
        f.valueAxis(s, "rows");
        double bw = f.plotWidth() / counts.length;
        for (int i = 0; i < counts.length; i++) {
            double top = f.py(counts[i]);
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                            + "fill=\"#0969da\"><title>%s … %s: %,d</title></rect>", f.left + i * bw + 0.5, top,
                    Math.max(0.5, bw - 1), Math.max(0, f.bottom() - top), number(edges[i]), number(edges[i + 1]),
                    counts[i]));
        }
        int mid = counts.length / 2;
        for (int i : new int[] {0, mid, counts.length}) {
            double px = f.left + i * bw;
            s.append(tick(px, f.bottom(), px, f.bottom() + 4)).append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"%s\">%s</text>", px, f.bottom() + 14,
                    i == 0 ? "start" : i == counts.length ? "end" : "middle", MUTED, esc(number(edges[i]))));
        }
        f.axisLine(s);
        f.xTitle(s, x, 30);
        return s.append("</svg>").toString();
    }

    /**
     * Lines over two numeric axes (a ROC or precision-recall curve, residuals against predictions): ticks and a
     * title on each axis, a legend, and optionally the diagonal from (0, 0) to (1, 1) as a dashed reference.
     *
     * @param label    what the chart shows
     * @param lines    the lines
     * @param x        the horizontal axis (its range: null for the data's)
     * @param y        the vertical axis
     * @param diagonal whether to draw the diagonal (chance on a ROC curve)
     * @param width    the chart's width in pixels
     */
    public static String lines(String label, List<Line> lines, Axis x, Axis y, boolean diagonal, int width) {
        double xmin = x.min() != null ? x.min() : lines.stream().flatMap(l -> l.points().stream())
                .mapToDouble(Point::x).min().orElse(0);
        double xmax = x.max() != null ? x.max() : lines.stream().flatMap(l -> l.points().stream())
                .mapToDouble(Point::x).max().orElse(1);
        double ymin = y.min() != null ? y.min() : lines.stream().flatMap(l -> l.points().stream())
                .mapToDouble(Point::y).min().orElse(0);
        double ymax = y.max() != null ? y.max() : lines.stream().flatMap(l -> l.points().stream())
                .mapToDouble(Point::y).max().orElse(1);
        Frame f = new Frame(width, 250 + legendHeight(lines.size()), 52, 10, 40 + legendHeight(lines.size()), 14,
                xmin, xmax == xmin ? xmin + 1 : xmax, ymin, ymax == ymin ? ymin + 1 : ymax);
        StringBuilder s = f.open(label);
        f.valueAxis(s, y.title());
        f.horizontalTicks(s);
        f.xTitle(s, x.title(), 30);
        if (diagonal) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                    + "stroke=\"#afb8c1\" stroke-dasharray=\"4 3\"/>", f.px(0), f.py(0), f.px(1), f.py(1)));
        }
        for (Line l : lines) {
            StringBuilder d = new StringBuilder();
            for (Point p : l.points()) {
                d.append(d.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", f.px(p.x()),
                        f.py(p.y())));
            }
            s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(l.colour())
                    .append("\" stroke-width=\"2\"").append(l.dashed() ? " stroke-dasharray=\"5 4\"" : "")
                    .append("><title>").append(esc(l.name())).append("</title></path>");
        }
        legend(s, f, lines.stream().map(Line::name).toList(), lines.stream().map(Line::colour).toList());
        return s.append("</svg>").toString();
    }

    /**
     * Dots over two numeric axes (predicted against true values, residuals against predictions), with a dashed
     * reference line drawn under them (perfect predictions, zero residual): ticks and a title on each axis; each
     * dot's tooltip gives its two values.
     *
     * @param label     what the chart shows
     * @param points    the dots
     * @param colour    their colour
     * @param reference the reference line's points (its range counts in the axes' ranges)
     * @param x         the horizontal axis (its range: null for the data's)
     * @param y         the vertical axis
     * @param width     the chart's width in pixels
     */
    public static String scatter(String label, List<Point> points, String colour, List<Point> reference, Axis x,
                                 Axis y, int width) {
        List<Point> all = new ArrayList<>(points);
        all.addAll(reference);
        double xmin = x.min() != null ? x.min() : all.stream().mapToDouble(Point::x).min().orElse(0);
        double xmax = x.max() != null ? x.max() : all.stream().mapToDouble(Point::x).max().orElse(1);
        double ymin = y.min() != null ? y.min() : all.stream().mapToDouble(Point::y).min().orElse(0);
        double ymax = y.max() != null ? y.max() : all.stream().mapToDouble(Point::y).max().orElse(1);
        Frame f = new Frame(width, 250, 52, 10, 40, 14, xmin, xmax == xmin ? xmin + 1 : xmax, ymin,
                ymax == ymin ? ymin + 1 : ymax);
        StringBuilder s = f.open(label);
        f.valueAxis(s, y.title());
        f.horizontalTicks(s);
        f.xTitle(s, x.title(), 30);
        StringBuilder d = new StringBuilder();
        for (Point p : reference) {
            d.append(d.isEmpty() ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", f.px(p.x()),
                    f.py(p.y())));
        }
        s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"#afb8c1\" stroke-dasharray=\"4 3\"/>");
        for (Point p : points) {
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\" "
                    + "fill-opacity=\"0.6\"><title>%s %s, %s %s</title></circle>", f.px(p.x()), f.py(p.y()), colour,
                    esc(x.title()), esc(number(p.x())), esc(y.title()), esc(number(p.y()))));
        }
        return s.append("</svg>").toString();
    }

    /** A coloured square and a name, for a legend written in the page's text. */
    public static String swatch(String colour) {
        return "<svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\""
                + colour + "\"/></svg>";
    }

    // ------------------------------------------------------------------ the frame

    /** The plot area inside the margins, and the scales from data to pixels. */
    private static final class Frame {
        final int width;
        final int height;
        final int left;
        final int top;
        final int below;
        final int right;
        final double xmin;
        final double xmax;
        final double ymin;
        final double ymax;

        Frame(int width, int height, int left, int top, int below, int right, double xmin, double xmax, double ymin,
              double ymax) {
            this.width = width;
            this.height = height;
            this.left = left;
            this.top = top;
            this.below = below;
            this.right = right;
            this.xmin = xmin;
            this.xmax = xmax;
            this.ymin = ymin;
            this.ymax = ymax;
        }

        double plotWidth() {
            return width - left - right;
        }

        double bottom() {
            return height - below;
        }

        double px(double x) {
            return left + (x - xmin) / (xmax - xmin) * plotWidth();
        }

        double py(double y) {
            return bottom() - (y - ymin) / (ymax - ymin) * (bottom() - top);
        }

        StringBuilder open(String label) {
            return new StringBuilder(2048).append("<svg class=\"chart\" width=\"")
                    .append(width).append("\" height=\"").append(height).append("\" font-size=\"").append(FONT)
                    .append("\" font-family=\"system-ui,sans-serif\" role=\"img\" aria-label=\"").append(esc(label))
                    .append("\">");
        }

        /** The vertical value axis: its line, ticks and grid at round values, and its title turned along it. */
        void valueAxis(StringBuilder s, String title) {
            s.append("<g class=\"axis y\">");
            for (double v : ticks(ymin, ymax, 5)) {
                double y = py(v);
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"#eaeef2\"/>", left, y, width - (double) right, y)).append(tick(left - 4, y, left, y))
                        .append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
                                + "fill=\"%s\">%s</text>", left - 6, y + 4, MUTED, esc(number(v))));
            }
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>",
                    left, top, left, bottom(), MUTED));
            s.append(String.format(Locale.ROOT, "<text class=\"axis-title\" transform=\"translate(12,%.1f) "
                            + "rotate(-90)\" text-anchor=\"middle\" fill=\"%s\">%s</text></g>", (top + bottom()) / 2,
                    MUTED, esc(title)));
        }

        /** Opens the x axis group: about {@code count} ticks at round values, their numbers and the axis line. */
        private void xTicks(StringBuilder s, int count) {
            s.append("<g class=\"axis x\">");
            for (double v : ticks(xmin, xmax, count)) {
                double x = px(v);
                s.append(tick(x, bottom(), x, bottom() + 4)).append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\">%s</text>", x, bottom() + 15,
                        MUTED, esc(number(v))));
            }
            axisLine(s);
        }

        /** The horizontal axis of a numeric x: ticks at round values. */
        void horizontalTicks(StringBuilder s) {
            xTicks(s, 5);
            s.append("</g>");
        }

        /** The value axis of horizontal bars, under them. */
        void horizontalValueAxis(StringBuilder s, String title) {
            xTicks(s, 4);
            xTitle(s, title, 30);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>",
                    left, top, left, bottom(), MUTED)).append("</g>");
        }

        /** The category axis of vertical bars: its line and title (the names are drawn with the bars). */
        void categoryAxis(StringBuilder s, String title, int under) {
            s.append("<g class=\"axis x\">");
            axisLine(s);
            xTitle(s, title, under + 14);
            s.append("</g>");
        }

        void axisLine(StringBuilder s) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                    left, bottom(), width - (double) right, bottom(), MUTED));
        }

        void xTitle(StringBuilder s, String title, int below) {
            s.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%.1f\" "
                    + "text-anchor=\"middle\" fill=\"%s\">%s</text>", left + plotWidth() / 2, bottom() + below, MUTED,
                    esc(title)));
        }
    }

    private static int legendHeight(int series) {
        return series > 1 ? 18 : 0;
    }

    private static void legend(StringBuilder s, Frame f, List<String> names, List<String> colours) {
        if (names.size() < 2) {
            return;
        }
        double x = f.left;
        double y = f.height - 8;
        s.append("<g class=\"legend\">");
        for (int i = 0; i < names.size(); i++) {
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                    + "<text x=\"%.1f\" y=\"%.1f\">%s</text>", x, y - 9, colours.get(i), x + 14, y, esc(names.get(i))));
            x += 24 + names.get(i).length() * CHAR;
        }
        s.append("</g>");
    }

    private static String tick(double x1, double y1, double x2, double y2) {
        return String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>", x1,
                y1, x2, y2, MUTED);
    }

    /** Round values from {@code lo} to {@code hi}, about {@code n} of them (1, 2 or 5 times a power of ten apart). */
    static List<Double> ticks(double lo, double hi, int n) {
        List<Double> out = new ArrayList<>();
        if (!(hi > lo) || Double.isInfinite(hi - lo)) {
            out.add(lo);
            return out;
        }
        double raw = (hi - lo) / n;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power
                : 10 * power;
        for (double v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return out;
    }

    /** A number as a chart writes it: whole numbers with thousands separators, others with 3 significant digits. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /** A name shortened to {@code n} characters with an ellipsis (the whole name goes in a tooltip). */
    public static String shorten(String s, int n) {
        return s.length() <= n ? s : s.substring(0, Math.max(1, n - 1)) + "…";
    }

    private static String esc(String s) {
        return Html.escape(s);
    }
}

package dev.mlops.core.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The validation page's defects, each shown gone: one 99,999,999 among amounts of a few hundred no longer squashes
 * the histogram into one bar (the range is clipped to the bulk and the outlier counted), label counts in the
 * thousands are written whole inside the chart, and every chart has its axes.
 */
class ValidationReportHtmlTest {

    private static DatasetScan scan;
    private static String html;

    @BeforeAll
    static void aDatasetWithOneHugeAmount_andLabelsInTheThousands() throws IOException {
        // GIVEN 2,021 rows: amounts from 100 to 600 and one of 99,999,999; labels "approved" (1,011 rows) and
        // "declined_after_manual_review" (1,010 rows)
        StringBuilder csv = new StringBuilder("amount,label\n");
        for (int i = 0; i < 2_020; i++) {
            csv.append(100 + (i * 37) % 500).append(',').append(i % 2 == 0 ? "approved" : "declined_after_manual_review")
                    .append('\n');
        }
        csv.append("99999999,approved\n");
        scan = DatasetScanner.scan(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                DatasetScanner.Mode.infer("label"), ValidationConfig.defaults());
        // WHEN the page is rendered
        html = ValidationReportHtml.render(DatasetReport.of("loans", "incoming/loans/l.csv", null, scan, "inferred"),
                scan.schema(), scan.profile());
    }

    @Test
    void oneHugeOutlier_shouldNotCollapseTheHistogram_andShouldBeCounted() {
        FeatureProfile.Histogram h = scan.profile().features().get("amount").histogram();
        // THEN the bins cover the bulk (100 to 600), not up to 99,999,999
        assertThat(h.edges()[h.edges().length - 1]).isLessThan(1_000);
        // AND the values spread over the bins: no bin holds more than a tenth of them
        long[] counts = h.counts();
        assertThat(java.util.Arrays.stream(counts).max().orElseThrow()).isLessThan(2_021 / 10);
        assertThat(java.util.Arrays.stream(counts).filter(c -> c > 0).count()).isGreaterThanOrEqualTo(15);
        // AND the outlier is counted, not lost: bins and outliers add up to every value
        assertThat(h.above()).isEqualTo(1);
        assertThat(h.below()).isZero();
        assertThat(java.util.Arrays.stream(counts).sum() + h.outside()).isEqualTo(2_021);
        // AND the page says so
        assertThat(html).contains("outliers not drawn: 1 above").contains("(max 99999999)");
    }

    @Test
    void aColumnWithoutOutliers_shouldKeepItsWholeRange() throws IOException {
        // GIVEN amounts from 100 to 599 only
        StringBuilder csv = new StringBuilder("amount,label\n");
        for (int i = 0; i < 500; i++) {
            csv.append(100 + i).append(",a\n");
        }
        DatasetScan plain = DatasetScanner.scan(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
                DatasetScanner.Mode.infer("label"), ValidationConfig.defaults());
        // THEN the histogram spans the minimum to the maximum, with nothing left outside
        FeatureProfile.Histogram h = plain.profile().features().get("amount").histogram();
        assertThat(h.edges()[0]).isEqualTo(100);
        assertThat(h.edges()[h.edges().length - 1]).isEqualTo(599);
        assertThat(h.outside()).isZero();
    }

    @Test
    void labelCounts_shouldBeWrittenWhole_insideTheChart() {
        String label = html.substring(html.lastIndexOf("<svg", html.indexOf("rows per class of label")));
        label = label.substring(0, label.indexOf("</svg>"));
        // THEN the counts are whole (no "1,01…"), and the class name is whole in its tooltip
        assertThat(label).contains(">1,011<", ">1,010<").doesNotContain("…<");
        assertThat(label).contains("<title>declined_after_manual_review</title>");
        // AND each count's text starts inside the chart with room for its characters
        int width = Integer.parseInt(first("width=\"(\\d+)\"", label));
        Matcher text = Pattern.compile("<text x=\"([\\d.]+)\"[^>]*>(1,01\\d)<").matcher(label);
        int found = 0;
        while (text.find()) {
            found++;
            assertThat(Double.parseDouble(text.group(1)) + text.group(2).length() * 7).isLessThanOrEqualTo(width);
        }
        assertThat(found).isEqualTo(2);
    }

    @Test
    void everyChart_shouldHaveAxesWithTitles() {
        List<String> charts = all("(<svg[^>]*class=\"chart\".*?</svg>)", html);
        assertThat(charts).hasSizeGreaterThanOrEqualTo(2); // the amount's histogram, the label's bars
        assertThat(charts).allSatisfy(svg -> assertThat(svg).contains("class=\"axis", "class=\"axis-title\""));
        // AND no other drawing is left without axes
        assertThat(all("(<svg)", html)).hasSameSizeAs(charts);
    }

    private static String first(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> all(String regex, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}

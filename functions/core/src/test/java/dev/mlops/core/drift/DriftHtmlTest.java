package dev.mlops.core.drift;

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
 * The drift report page's defects, each shown gone on a comparison that has all their causes: a numeric column
 * whose missing share fell from 12 % to 0.7 %, a categorical column with an unseen category, and predictions.
 */
class DriftHtmlTest {

    private static DriftResult result;
    private static String html;

    @BeforeAll
    static void aComparisonWithMissingValues_anUnseenCategory_andPredictions() throws IOException {
        // GIVEN 200 reference rows, 24 (12 %) without an amount, and 150 current rows, 1 (0.7 %) without one,
        // two of them of a colour the reference never had
        result = FileComparison.compare(() -> csv(200, 24, 0), () -> csv(150, 1, 2), null,
                DriftConfig.defaults());
        // WHEN the page is rendered
        html = DriftHtml.render("Drift: shop", List.of("window: today"), result, List.of());
    }

    /** Rows of amount (missing in the first {@code missing}), colour (the last {@code purple} unseen) and label. */
    private static ByteArrayInputStream csv(int rows, int missing, int purple) {
        StringBuilder s = new StringBuilder("amount,colour,label\n");
        String[] colours = {"red", "green", "blue"};
        for (int i = 0; i < rows; i++) {
            s.append(i < missing ? "" : String.valueOf(10 + (i * 7) % 50)).append(',')
                    .append(i >= rows - purple ? "purple" : colours[i % 3]).append(',')
                    .append(i % 2 == 0 ? "yes" : "no").append('\n');
        }
        return new ByteArrayInputStream(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCard_shouldBeOutlinedByItsVerdict_neverFilledWithTheBadgeColour() {
        // THEN the verdict classes colour badges only: no style rule fills an element by a bare verdict class
        String css = html.substring(html.indexOf("<style>"), html.indexOf("</style>"));
        Matcher bare = Pattern.compile("(?<![\\w.-])(?<!\\.badge)\\.(DRIFTED|NO_DRIFT|NOT_ENOUGH_DATA)\\b").matcher(css);
        assertThat(bare.find()).as("a verdict class not scoped to .badge in " + css).isFalse();
        // AND each card carries its verdict in lower case (an outline), never a badge's class
        List<String> cards = all("<div class=\"(card(?: [^\"]*)?)\"", html);
        assertThat(cards).hasSize(3).allSatisfy(c -> assertThat(c).isEqualTo(c.toLowerCase()));
        assertThat(cards).contains("card drifted");
        assertThat(css).contains(".card{").contains("background:#fff");
    }

    @Test
    void categoricalAndPredictionBars_shouldCarryTheirCategoryNames() {
        String colour = card("colour");
        for (String name : List.of("red", "green", "blue", "purple")) {
            assertThat(colour).as("the colour card's bars").contains("<text class=\"category\"", ">" + name + "<");
        }
        String prediction = card(Reference.PREDICTION);
        assertThat(prediction).contains(">yes<", ">no<");
        // AND the bars have a value axis with its title
        assertThat(colour).contains("class=\"axis y\"", "% of values");
    }

    @Test
    void unseenCategories_shouldBeCounted_notSaidToLieBelowOrAbove() {
        String colour = card("colour");
        assertThat(colour).contains("2 values in categories the reference never had").contains("purple");
        assertThat(colour).doesNotContain(" below, ");
    }

    @Test
    void aChangeOfTheMissingShare_shouldBeTestedByTheCheck_andShownPerColumn() {
        // THEN the check judged the amount's missing share: 12 % → 0.7 %, beyond the 10 points of missing_change
        ColumnDrift amount = result.columns().get("amount");
        assertThat(amount.missing().reference()).isEqualTo(0.12);
        assertThat(amount.missing().current()).isEqualTo(1.0 / 150);
        assertThat(amount.missing().pValue()).isLessThan(0.05);
        assertThat(amount.missing().changed()).isTrue();
        assertThat(amount.verdict()).isEqualTo(Verdict.DRIFTED);
        assertThat(amount.reason()).startsWith("missing share 12.0% -> 0.7% (change 11.3 points > missing_change 10");
        // AND its card shows it
        assertThat(card("amount")).contains("missing share").contains("12.0% → 0.7% (−11.3 points; threshold 10.0 points; CHANGED");
        // AND a column whose missing share did not move is not flagged for it
        assertThat(result.columns().get("colour").missing().changed()).isFalse();
        assertThat(card("colour")).contains("0.0% → 0.0% (+0.0 points; threshold 10.0 points)");
    }

    @Test
    void aSmallChangeOfTheMissingShare_shouldNotDrift() throws IOException {
        // GIVEN 12 % missing in the reference and 8 % in the window: 4 points, within missing_change
        DriftResult small = FileComparison.compare(() -> csv(200, 24, 0), () -> csv(150, 12, 0), null,
                DriftConfig.defaults());
        // THEN
        ColumnDrift amount = small.columns().get("amount");
        assertThat(amount.missing().change()).isCloseTo(-0.04, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(amount.missing().changed()).isFalse();
        assertThat(amount.verdict()).isEqualTo(Verdict.NO_DRIFT);
    }

    /** The card of a column (its heading starts with the name). */
    private static String card(String column) {
        int at = html.indexOf("<h3>" + column);
        assertThat(at).as("a card for " + column).isPositive();
        int end = html.indexOf("<div class=\"card", at);
        return html.substring(at, end < 0 ? html.length() : end);
    }

    private static List<String> all(String regex, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}

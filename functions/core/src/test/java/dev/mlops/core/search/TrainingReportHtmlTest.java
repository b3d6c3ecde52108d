package dev.mlops.core.search;

import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.model.task.Regression;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrainingReportHtmlTest {

    @Test
    void theReport_shouldBeSelfContained_andEscapeWhatItShows() {
        // GIVEN a leaderboard with a hostile class name and a skipped candidate
        Leaderboard board = new Leaderboard("accuracy", List.of(
                new Leaderboard.Entry(1, 0, "cart", Map.of("maxDepth", "none"), "TRAINED", null, 0.9, 0.9, 0.88, null,
                        0.91, 0.9, 12L, "ab"),
                new Leaderboard.Entry(null, 1, "xgboost", Map.of(), "SKIPPED", "no <libgomp>", null, null, null, null,
                        null, null, null, null)));
        Metrics test = Classification.TASK.evaluate(List.of("<b>", "x", "x"), List.of(
                new dev.mlops.core.model.Prediction("<b>", Map.of("<b>", 0.9, "x", 0.1)),
                new dev.mlops.core.model.Prediction("<b>", Map.of("<b>", 0.6, "x", 0.4)),
                new dev.mlops.core.model.Prediction("x", Map.of("<b>", 0.2, "x", 0.8))), true);
        // WHEN
        String html = new String(TrainingReportHtml.render("m v1 & co", Map.of("blessing", "BLESSED: \"first\""), board, test),
                StandardCharsets.UTF_8);
        // THEN
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<title>m v1 &amp; co</title>")
                .contains("skipped: no &lt;libgomp&gt;").contains("&lt;b&gt;").doesNotContain("<b>")
                .contains("BLESSED: &quot;first&quot;")
                .doesNotContain("<script", "src=", "href=", "@import", "url(", "<link");
        assertThat(html.split("<svg", -1)).hasSize(3); // the confusion matrix and the per-class bars
        assertThat(html).contains("<tr class=\"best\">");
    }

    @Test
    void aRegressionsReport_shouldShowItsMetrics_andThePredictedAndResidualPlots() {
        // GIVEN a regression's leaderboard and test metrics
        Map<String, Object> scores = Map.of("rmse", 12.5, "mae", 9.0, "r2", 0.91, "rows", 3);
        Leaderboard board = new Leaderboard("rmse", List.of(new Leaderboard.Entry(1, 0, "cart", Map.of(), "TRAINED",
                null, 12.0, null, null, null, null, null, 5L, "ab", scores, scores)), "regression");
        Metrics test = Regression.TASK.evaluate(new double[] {10, 20, 30}, new double[] {12, 18, 35});
        // WHEN
        String html = new String(TrainingReportHtml.render("prices v1", Map.of(), board, test), StandardCharsets.UTF_8);
        // THEN
        assertThat(html).contains("<th>val rmse</th>").contains("<th>test r2</th>").doesNotContain("val acc")
                .contains("<td>0.9100</td>").contains("R\u00b2").contains("aria-label=\"predicted against true values\"")
                .contains("aria-label=\"residuals against predicted values\"").contains("<title>true 30.00, predicted 35.00</title>")
                .doesNotContain("<script", "src=", "href=");
        assertThat(html.split("<circle", -1)).hasSize(7); // three rows in each of the two plots
        assertThat(board.table()).contains("val rmse").contains("0.9100");
    }
}

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
        // the confusion matrix, the per-class bars, and (a binary model) the ROC and precision-recall curves
        assertThat(html.split("<svg", -1)).hasSize(5);
        assertThat(html).contains("ROC and precision-recall curves (test rows, positive class x)", "AUC ");
        assertThat(html).contains("<tr class=\"best\">");
    }

    @Test
    void everyChart_shouldHaveItsAxes_andThePredictedLabelRightUnderTheMatrix() {
        // GIVEN a three-class model's test metrics
        List<String> truth = List.of("setosa", "versicolor", "virginica", "virginica");
        Metrics test = Classification.TASK.evaluate(truth, List.of(
                new dev.mlops.core.model.Prediction("setosa", Map.of("setosa", 0.9, "versicolor", 0.05, "virginica", 0.05)),
                new dev.mlops.core.model.Prediction("versicolor", Map.of("setosa", 0.1, "versicolor", 0.8, "virginica", 0.1)),
                new dev.mlops.core.model.Prediction("versicolor", Map.of("setosa", 0.1, "versicolor", 0.5, "virginica", 0.4)),
                new dev.mlops.core.model.Prediction("virginica", Map.of("setosa", 0.1, "versicolor", 0.2, "virginica", 0.7))),
                true);
        Leaderboard board = new Leaderboard("accuracy", List.of(new Leaderboard.Entry(1, 0, "cart", Map.of(), "TRAINED",
                null, 0.9, 0.9, 0.3, null, 0.75, 0.7, 10L, "ab")));
        // WHEN
        String html = new String(TrainingReportHtml.render("iris v1", Map.of(), board, test), StandardCharsets.UTF_8);
        // THEN every chart has a horizontal and a vertical axis, each with its title
        List<String> charts = new java.util.ArrayList<>();
        java.util.regex.Matcher svg = java.util.regex.Pattern.compile("<svg.*?</svg>", java.util.regex.Pattern.DOTALL)
                .matcher(html);
        while (svg.find()) {
            charts.add(svg.group());
        }
        assertThat(charts).hasSize(2).allSatisfy(c -> assertThat(c).contains("class=\"axis x\"", "class=\"axis y\"")
                .containsPattern("(?s)class=\"axis x\".*class=\"axis-title\"")
                .containsPattern("(?s)class=\"axis y\".*class=\"axis-title\""));
        // AND the per-class bars name their classes and score axis
        assertThat(charts.get(1)).contains(">setosa (1)<", ">score<", "class (its test rows)");
        // AND "predicted class" sits right under the matrix's bottom row and its column names, not far above it
        String matrix = charts.get(0);
        int bottom = 0;
        java.util.regex.Matcher cell = java.util.regex.Pattern.compile("<rect x=\"\\d+\" y=\"(\\d+)\" width=\"(\\d+)\"")
                .matcher(matrix);
        while (cell.find()) {
            bottom = Math.max(bottom, Integer.parseInt(cell.group(1)) + Integer.parseInt(cell.group(2)));
        }
        java.util.regex.Matcher predicted = java.util.regex.Pattern.compile("y=\"(\\d+)\"[^>]*>predicted class \u2192<")
                .matcher(matrix);
        assertThat(predicted.find()).as(matrix).isTrue();
        assertThat(Integer.parseInt(predicted.group(1)) - bottom).isBetween(10, 100);
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
                .contains("aria-label=\"residuals against predicted values\"").contains("<title>true 30, predicted 35</title>")
                .doesNotContain("<script", "src=", "href=");
        assertThat(html.split("<circle", -1)).hasSize(7); // three rows in each of the two plots
        // AND both plots are SvgChart charts with their axes and titles
        assertThat(html.split("class=\"axis x\"", -1)).hasSize(3);
        assertThat(html.split("class=\"axis-title\"", -1)).hasSize(5);
        assertThat(board.table()).contains("val rmse").contains("0.9100");
    }
}

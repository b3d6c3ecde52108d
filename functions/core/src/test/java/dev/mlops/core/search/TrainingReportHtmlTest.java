package dev.mlops.core.search;

import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Metrics;
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
}

package dev.mlops.core.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.ports.CaptureSink;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A binary dataset through the in-memory pipeline and the API: its version records ROC AUC, PR AUC and the
 * threshold its {@code config.json} cost matrix chose, and the API answers by that threshold with the score.
 */
class DecisionThresholdServingTest {

    /** The first 200 pima rows as instances (label and missing cells left out). */
    private static String instances() {
        List<String> lines = List.of(Datasets.read("pima").strip().split("\n"));
        String[] header = lines.get(0).replace("\"", "").split(",");
        StringBuilder body = new StringBuilder("{\"instances\": [");
        for (int i = 1; i <= 200; i++) {
            String[] cells = lines.get(i).split(",");
            body.append(i == 1 ? "{" : ",{");
            boolean first = true;
            for (int c = 0; c < cells.length; c++) {
                if (header[c].equals("diabetes") || cells[c].equals("NA")) {
                    continue;
                }
                body.append(first ? "" : ",").append('"').append(header[c]).append("\": ").append(cells[c]);
                first = false;
            }
            body.append('}');
        }
        return body.append("]}").toString();
    }

    /** Trains pima as model {@code model} under a cost matrix; returns its version and the API's answer. */
    private static Object[] trainAndAsk(String model, double falsePositive, double falseNegative) {
        PipelineHarness p = new PipelineHarness();
        p.store.putJson(Layout.config(model), Map.of("training", Map.of("families", List.of("logistic-regression"),
                "threshold", Map.of("objective", "cost", "costs", Map.of("false_positive", falsePositive,
                        "false_negative", falseNegative)))));
        IngestionService.Outcome outcome = p.upload(model, "pima.csv", Datasets.read("pima"), Map.of("label",
                "diabetes"));
        p.runToEnd(outcome.runId());
        ModelVersion v = p.registry.find(model, 1).orElseThrow();
        ModelSignature signature = p.store.findJson(v.artifact().signatureKey(), ModelSignature.class).orElseThrow();
        ServingService serving = new ServingService(p.store, p.registry, CaptureSink.NONE, p.metrics, 1.0, () -> 0.5,
                1 << 20, p.clock);
        ServingService.Reply reply = serving.handle(new ServingService.Request("POST", model + ":predict",
                instances().getBytes(StandardCharsets.UTF_8), "req-1"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        JsonNode card = Json.tree(p.store.find(Layout.modelPrefix(model, 1) + "model-card.json").orElseThrow().bytes());
        return new Object[] {signature.threshold(), Json.tree(reply.body().getBytes(StandardCharsets.UTF_8)), card};
    }

    @Test
    void aCostMatrix_shouldMoveTheVersionsThreshold_andTheApisAnswersWithIt() {
        // WHEN a missed diabetic costs 10 false alarms, and (another model) the other way round
        Object[] cautious = trainAndAsk("pima-cautious", 1, 10);
        Object[] sparing = trainAndAsk("pima-sparing", 10, 1);
        // THEN each version records its threshold, chosen by the cost matrix, and they move apart
        ModelSignature.Threshold low = (ModelSignature.Threshold) cautious[0];
        ModelSignature.Threshold high = (ModelSignature.Threshold) sparing[0];
        assertThat(low.objective()).isEqualTo("cost");
        assertThat(low.positiveClass()).isEqualTo("pos");
        assertThat(low.value()).isLessThan(0.5).isLessThan(high.value());
        assertThat(high.value()).isGreaterThan(0.5);
        // AND the model card has the test rows' ROC AUC and PR AUC
        assertThat(((JsonNode) cautious[2]).toString()).contains("\"roc_auc\"").contains("\"pr_auc\"");
        // AND the API answers each row by its version's threshold, with the score it was judged on
        JsonNode a = ((JsonNode) cautious[1]).path("predictions");
        JsonNode b = ((JsonNode) sparing[1]).path("predictions");
        assertThat(a).hasSize(200).allSatisfy(p -> assertThat(p.path("label").asText())
                .isEqualTo(p.path("score").asDouble() >= low.value() ? "pos" : "neg"));
        assertThat(b).hasSize(200).allSatisfy(p -> assertThat(p.path("label").asText())
                .isEqualTo(p.path("score").asDouble() >= high.value() ? "pos" : "neg"));
        long positivesA = 0;
        long positivesB = 0;
        for (int i = 0; i < 200; i++) {
            positivesA += a.get(i).path("label").asText().equals("pos") ? 1 : 0;
            positivesB += b.get(i).path("label").asText().equals("pos") ? 1 : 0;
        }
        assertThat(positivesA).isGreaterThan(positivesB);
    }
}

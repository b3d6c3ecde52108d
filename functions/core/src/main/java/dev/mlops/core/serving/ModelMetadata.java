package dev.mlops.core.serving;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.model.FeatureEncoder;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Predictor;
import org.tribuo.VariableInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code GET /v1/models/{model}/metadata} document of one loaded version, in TensorFlow Serving's
 * shape ({@code model_spec} and {@code metadata.signature_def.signature_def.serving_default} with
 * {@code inputs}, {@code outputs}, {@code method_name}), each input with its type ({@code DT_DOUBLE} or
 * {@code DT_STRING}) and, for a categorical feature, the categories the model learned; the outputs
 * name the classes.
 */
public final class ModelMetadata {

    private ModelMetadata() {
    }

    /** The metadata document of {@code model} version {@code version}. */
    public static Map<String, Object> of(String model, int version, Predictor predictor) {
        ModelSignature signature = predictor.signature();
        Map<String, List<String>> categories = categories(predictor);
        Map<String, Object> inputs = new LinkedHashMap<>();
        for (Column c : signature.features()) {
            Map<String, Object> input = tensor(c.name(), c.type() == ColumnType.NUMERIC ? "DT_DOUBLE" : "DT_STRING");
            if (c.type() == ColumnType.CATEGORICAL) {
                input.put("categories", categories.getOrDefault(c.name(), List.of()));
            }
            inputs.put(c.name(), input);
        }
        Map<String, Object> label = tensor("label", "DT_STRING");
        label.put("classes", signature.classes());
        Map<String, Object> scores = tensor("scores", "DT_DOUBLE");
        scores.put("classes", signature.classes());
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("label", label);
        outputs.put("scores", scores);

        Map<String, Object> def = new LinkedHashMap<>();
        def.put("inputs", inputs);
        def.put("outputs", outputs);
        def.put("method_name", "tensorflow/serving/predict");
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", model);
        spec.put("signature_name", "");
        spec.put("version", Integer.toString(version));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_spec", spec);
        body.put("metadata", Map.of("signature_def", Map.of("signature_def",
                Map.of(PredictRequest.SIGNATURE, def))));
        body.put("label", signature.label());
        return body;
    }

    /**
     * A value for every feature that the model can score: 0 for numbers, the first learned category
     * for categorical features (none where it learned none). Used to warm a loaded model up.
     */
    public static Map<String, Object> exampleRow(Predictor predictor) {
        Map<String, List<String>> categories = categories(predictor);
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column c : predictor.signature().features()) {
            if (c.type() == ColumnType.NUMERIC) {
                row.put(c.name(), 0.0);
            } else {
                List<String> known = categories.getOrDefault(c.name(), List.of());
                row.put(c.name(), known.isEmpty() ? null : known.get(0));
            }
        }
        return row;
    }

    /** Category values per categorical column, read from the model's one-hot feature names. */
    private static Map<String, List<String>> categories(Predictor predictor) {
        Map<String, TreeSet<String>> found = new LinkedHashMap<>();
        for (Column c : predictor.signature().features()) {
            if (c.type() == ColumnType.CATEGORICAL) {
                found.put(c.name(), new TreeSet<>());
            }
        }
        if (found.isEmpty()) {
            return Map.of();
        }
        for (VariableInfo info : predictor.model().getFeatureIDMap()) {
            String name = info.getName();
            for (Map.Entry<String, TreeSet<String>> e : found.entrySet()) {
                String prefix = FeatureEncoder.oneHotName(e.getKey(), "");
                if (name.startsWith(prefix)) {
                    e.getValue().add(name.substring(prefix.length()));
                }
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        found.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return out;
    }

    private static Map<String, Object> tensor(String name, String dtype) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("name", name);
        t.put("dtype", dtype);
        t.put("tensor_shape", Map.of("dim", List.of(Map.of("size", "-1"))));
        return t;
    }
}

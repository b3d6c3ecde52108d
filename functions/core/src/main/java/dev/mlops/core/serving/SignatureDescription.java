package dev.mlops.core.serving;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.model.FeatureEncoder;
import dev.mlops.core.model.Predictor;
import org.tribuo.VariableInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A model's signature as the API shows it: each feature with its type (and, for a categorical one,
 * the categories the model was trained on: any other value is treated as unknown), the label, the
 * task ({@code classification} or {@code regression}), the classes and a binary model's decision threshold. The categories come from the model's own feature domain, not from the data.
 */
public final class SignatureDescription {

    private SignatureDescription() {
    }

    /** The signature of a loaded model. */
    public static Map<String, Object> of(Predictor predictor) {
        var signature = predictor.signature();
        Map<String, TreeSet<String>> categories = new LinkedHashMap<>();
        for (Column c : signature.features()) {
            if (c.type() == ColumnType.CATEGORICAL) {
                categories.put(c.name(), new TreeSet<>());
            }
        }
        for (VariableInfo info : predictor.model().getFeatureIDMap()) {
            for (var e : categories.entrySet()) {
                String prefix = FeatureEncoder.oneHotName(e.getKey(), "");
                if (info.getName().startsWith(prefix)) {
                    e.getValue().add(info.getName().substring(prefix.length()));
                }
            }
        }
        List<Map<String, Object>> features = new ArrayList<>();
        for (Column c : signature.features()) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", c.name());
            f.put("type", c.type().name());
            if (c.type() == ColumnType.CATEGORICAL) {
                f.put("allowed_categories", List.copyOf(categories.get(c.name())));
            }
            features.add(f);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("features", features);
        out.put("label", signature.label());
        out.put("task", signature.task());
        out.put("classes", signature.classes());
        if (signature.threshold() != null) {
            out.put("threshold", signature.threshold());
        }
        return out;
    }
}

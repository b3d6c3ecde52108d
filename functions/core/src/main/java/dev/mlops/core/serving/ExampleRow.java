package dev.mlops.core.serving;

import dev.mlops.core.data.Column;
import dev.mlops.core.data.ColumnType;
import dev.mlops.core.model.FeatureEncoder;
import dev.mlops.core.model.Predictor;
import org.tribuo.VariableInfo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * A row that a loaded model can score, to warm it up (SnapStart priming): 0 for every number, the
 * first category the model learned for every categorical feature (none where it learned none).
 */
public final class ExampleRow {

    private ExampleRow() {
    }

    /** The example row of a loaded model. */
    public static Map<String, Object> of(Predictor predictor) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Column c : predictor.signature().features()) {
            row.put(c.name(), c.type() == ColumnType.NUMERIC ? (Object) 0.0 : firstCategory(predictor, c.name()));
        }
        return row;
    }

    private static String firstCategory(Predictor predictor, String column) {
        String prefix = FeatureEncoder.oneHotName(column, "");
        TreeSet<String> categories = new TreeSet<>();
        for (VariableInfo info : predictor.model().getFeatureIDMap()) {
            if (info.getName().startsWith(prefix)) {
                categories.add(info.getName().substring(prefix.length()));
            }
        }
        return categories.isEmpty() ? null : categories.first();
    }
}

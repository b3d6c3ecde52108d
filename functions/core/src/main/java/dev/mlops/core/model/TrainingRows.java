package dev.mlops.core.model;

import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance;
import dev.mlops.core.data.DenseTable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.MutableOutputInfo;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;

/**
 * The rows one fit trains on: rows of a {@link DenseTable} in training order, with their example weights, where
 * they came from, and optionally rows a trainer may watch to stop early (validation rows, never test rows). The
 * model's features and classes are those these rows have. Trainers read the arrays ({@link #features()}), never
 * building one object per row.
 */
public final class TrainingRows {

    private static final LabelFactory LABELS = new LabelFactory();

    private final DenseFeatures features;
    private final int[] rows;
    private final float[] weights;
    private final DataProvenance source;
    private final int[] watch;
    private ImmutableFeatureMap featureMap;
    private ImmutableOutputInfo<Label> outputInfo;
    private Label[] labelOf;

    /**
     * @param features the table's features
     * @param rows     rows to train on, in order (labelled rows only)
     * @param weights  one example weight per row of {@code rows}, or {@code null} for 1 each
     * @param source   the data's provenance (recorded in the model)
     * @param watch    rows early stopping may watch (empty: none)
     */
    public TrainingRows(DenseFeatures features, int[] rows, float[] weights, DataProvenance source, int[] watch) {
        if (weights != null && weights.length != rows.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + weights.length + " weights");
        }
        this.features = features;
        this.rows = rows;
        this.weights = weights;
        this.source = source;
        this.watch = watch;
        int[] labels = features.table().labels();
        for (int r : rows) {
            if (labels[r] < 0) {
                throw new IllegalArgumentException("row " + r + " has no label and cannot be trained on");
            }
        }
    }

    /** The same rows with other weights. */
    public TrainingRows withWeights(float[] newWeights) {
        return new TrainingRows(features, rows, newWeights, source, watch);
    }

    /** The table's features. */
    public DenseFeatures features() {
        return features;
    }

    /** Rows to train on, in training order (do not modify). */
    public int[] rows() {
        return rows;
    }

    /** Rows early stopping may watch, empty when none (do not modify). */
    public int[] watch() {
        return watch;
    }

    /** The weight of the {@code i}-th row of {@link #rows()}. */
    public float weight(int i) {
        return weights == null ? 1f : weights[i];
    }

    /** Whether every weight is 1. */
    public boolean unweighted() {
        return weights == null;
    }

    /** The features these rows have, ids by sorted name. */
    public synchronized ImmutableFeatureMap featureMap() {
        if (featureMap == null) {
            featureMap = features.featureMap(rows);
        }
        return featureMap;
    }

    /** The classes these rows have, with their counts. */
    public synchronized ImmutableOutputInfo<Label> outputInfo() {
        if (outputInfo == null) {
            MutableOutputInfo<Label> info = LABELS.generateInfo();
            for (int r : rows) {
                info.observe(label(r));
            }
            outputInfo = info.generateImmutableOutputInfo();
        }
        return outputInfo;
    }

    /** The class of table row {@code r} as a Tribuo label. */
    public Label label(int r) {
        if (labelOf == null) {
            List<String> classes = features.table().classes();
            Label[] l = new Label[classes.size()];
            for (int c = 0; c < l.length; c++) {
                l[c] = LABELS.generateOutput(classes.get(c));
            }
            labelOf = l;
        }
        return labelOf[features.table().labels()[r]];
    }

    /** The data's provenance as Tribuo records it for a dataset of these rows (no Tribuo dataset is built). */
    public DatasetProvenance datasetProvenance() {
        Map<String, Provenance> map = new HashMap<>();
        map.put("class-name", new StringProvenance("class-name", DenseTable.class.getName()));
        map.put("datasource", source);
        map.put("transformations", new ListProvenance<>());
        map.put("is-dense", new BooleanProvenance("is-dense", false));
        map.put("is-sequence", new BooleanProvenance("is-sequence", false));
        map.put("num-examples", new IntProvenance("num-examples", rows.length));
        map.put("num-features", new IntProvenance("num-features", featureMap().size()));
        map.put("num-outputs", new IntProvenance("num-outputs", outputInfo().size()));
        map.put("tribuo-version", new StringProvenance("tribuo-version", Tribuo.VERSION));
        return new DatasetProvenance(map);
    }
}

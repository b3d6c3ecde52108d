package dev.mlops.core.model.family;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.model.DenseScorer;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Task;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;
import org.tribuo.common.xgboost.protos.XGBoostModelProto;
import org.tribuo.protos.core.ModelProto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code xgboost}: gradient-boosted trees, histogram method; {@code numTrees} 100, {@code eta} 0.3, {@code
 * maxDepth} 6, {@code minChildWeight} 1, {@code subsample} 1, {@code featureSubsample} 1, {@code lambda} 1,
 * {@code alpha} 0, {@code gamma} 0, {@code nThread} 1.
 *
 * <p>A classification fits from a dense table ({@link DenseXGBoostTrainer}: Tribuo's XGBoost classification model,
 * bare) and takes {@code earlyStopping} (rounds without improvement on the watched rows after which boosting
 * stops; 0 by default). Its default search boosts in smaller steps ({@code eta} 0.1, up to 1,000 rounds, stopped
 * after 20 without improvement, 70 % of the features per tree) at {@code maxDepth} 6 and 3 (BENCHMARKS.md,
 * "Training search": on letter, 0.9600 against 0.9558 with every feature per tree).
 *
 * <p>A regression ({@code XGBoostRegressionTrainer}, squared error, from Tribuo examples in the standardising
 * wrapper) defaults to {@code numTrees} 300, {@code eta} 0.1, {@code subsample} 0.8 (measured better on the
 * diamonds benchmark, BENCHMARKS.md) and does not stop early; its default search tries {@code maxDepth} 6 and 3.
 *
 * <p>Only where its native library loads ({@link XGBoostSupport}): what touches XGBoost's classes lives there, so
 * loading this family loads none of them.
 */
public final class XGBoost extends Family {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "xgboost";

    /** Rounds without improvement after which a classification stops boosting. */
    static final String EARLY_STOPPING = "earlyStopping";

    /** Its model class, by name: XGBoost's classes load natively. */
    static final String MODEL_CLASS = "org.tribuo.common.xgboost.XGBoostModel";
    /** The only output converters: of XGBoost classification models, of regression models. */
    static final Set<String> ALLOWED_CONVERTERS = Set.of(
            "org.tribuo.classification.xgboost.XGBoostClassificationConverter",
            "org.tribuo.regression.xgboost.XGBoostRegressionConverter");

    XGBoost() {
        super(ID, "gradient_boosting", true, Set.of("numTrees", "eta", "maxDepth", "minChildWeight",
                "subsample", "featureSubsample", "lambda", "alpha", "gamma", "nThread", EARLY_STOPPING), BOTH);
    }

    @Override
    Trainer<Label> classifier(HyperParameters p, long seed, Shape shape) {
        return XGBoostSupport.classifier(p, seed);
    }

    @Override
    Trainer<Regressor> regressor(HyperParameters p, long seed, Shape shape) {
        return XGBoostSupport.regressor(p, seed);
    }

    /** A regression's search: the defaults at two depths. */
    @Override
    public Map<String, List<String>> defaultGrid() {
        return Map.of("maxDepth", List.of("6", "3"));
    }

    /**
     * A classification's search: many small steps, stopped on the validation rows (or the held-out fold) once
     * they stop improving; a regression's trainer cannot stop early, so it keeps {@link #defaultGrid()}.
     */
    @Override
    public Map<String, List<String>> defaultGrid(Task<?> task) {
        if (task != Classification.TASK) {
            return defaultGrid();
        }
        Map<String, List<String>> grid = new LinkedHashMap<>();
        grid.put("maxDepth", List.of("6", "3"));
        grid.put("eta", List.of("0.1"));
        grid.put("numTrees", List.of("1000"));
        grid.put("featureSubsample", List.of("0.7"));
        grid.put(EARLY_STOPPING, List.of("20"));
        return grid;
    }

    /** 15 ns per row × feature × tree × class. */
    @Override
    public Cost cost(Map<String, String> effective, Shape shape) {
        return new Cost(15.0 * shape.rows() * shape.features() * Integer.parseInt(effective.get("numTrees"))
                * shape.classes(), 0);
    }

    @Override
    public Set<String> modelClasses() {
        return Set.of(MODEL_CLASS);
    }

    /** Its classification or regression output converter, and no other. */
    @Override
    public void checkModel(ModelProto proto) throws InvalidProtocolBufferException {
        XGBoostModelProto x = proto.getSerializedData().unpack(XGBoostModelProto.class);
        if (!ALLOWED_CONVERTERS.contains(x.getConverter().getClassName())) {
            throw new ModelIntegrityException("XGBoost output converter \"" + x.getConverter().getClassName()
                    + "\" is not allowed; allowed: " + ALLOWED_CONVERTERS);
        }
    }

    /** A classification; a regression trains from Tribuo examples. */
    @Override
    public boolean trainsFromArrays(Task<?> task) {
        return task == Classification.TASK;
    }

    /** Its booster on a dense matrix, for a bare XGBoost model (not one wrapped in a standardising model). */
    @Override
    public Optional<DenseScorer> denseScorer(Model<Label> model) {
        return model.getClass().getName().equals(MODEL_CLASS) ? Optional.of(XGBoostSupport.scorer(model))
                : Optional.empty();
    }

    @Override
    public List<NativeLibrary> nativeLibraries() {
        return List.of(XGBoostSupport.LIBRARY);
    }
}

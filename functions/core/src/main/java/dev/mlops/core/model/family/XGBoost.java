package dev.mlops.core.model.family;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.model.DenseScorer;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.protos.XGBoostModelProto;
import org.tribuo.protos.core.ModelProto;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code xgboost}: gradient-boosted trees (Tribuo's XGBoost classification model, histogram method, fitted from a
 * dense table by {@link DenseXGBoostTrainer}); {@code numTrees} 100, {@code eta} 0.3, {@code maxDepth} 6, {@code
 * minChildWeight} 1, {@code subsample} 1, {@code featureSubsample} 1, {@code lambda} 1, {@code alpha} 0, {@code
 * gamma} 0, {@code earlyStopping} 0 (rounds without improvement on the watched rows after which boosting stops),
 * {@code nThread} 1. The default search boosts in smaller steps ({@code eta} 0.1, up to 1,000 rounds, stopped
 * after 20 without improvement, 70 % of the features per tree) at {@code maxDepth} 6 and 3 (BENCHMARKS.md,
 * "Training search": on letter, 0.9600 against 0.9558 with every feature per tree). Only where its native
 * library loads ({@link XGBoostSupport}): what touches XGBoost's classes lives there, so loading this family
 * loads none of them.
 */
public final class XGBoost extends Family {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "xgboost";

    /** Its model class, by name: XGBoost's classes load natively. */
    static final String MODEL_CLASS = "org.tribuo.common.xgboost.XGBoostModel";
    /** The only output converter of XGBoost classification models. */
    static final Set<String> ALLOWED_CONVERTERS = Set.of(
            "org.tribuo.classification.xgboost.XGBoostClassificationConverter");

    XGBoost() {
        super(ID, "gradient_boosting", true, Set.of("numTrees", "eta", "maxDepth", "minChildWeight",
                "subsample", "featureSubsample", "lambda", "alpha", "gamma", "nThread", "earlyStopping"));
    }

    @Override
    Trainer<Label> trainer(HyperParameters p, long seed, Shape shape) {
        return XGBoostSupport.trainer(p, seed);
    }

    @Override
    public Map<String, List<String>> defaultGrid() {
        // Many small steps, stopped on the validation rows (or the held-out fold) once they stop improving.
        Map<String, List<String>> grid = new LinkedHashMap<>();
        grid.put("maxDepth", List.of("6", "3"));
        grid.put("eta", List.of("0.1"));
        grid.put("numTrees", List.of("1000"));
        grid.put("featureSubsample", List.of("0.7"));
        grid.put("earlyStopping", List.of("20"));
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

    /** Its classification output converter, and no other. */
    @Override
    public void checkModel(ModelProto proto) throws InvalidProtocolBufferException {
        XGBoostModelProto x = proto.getSerializedData().unpack(XGBoostModelProto.class);
        if (!ALLOWED_CONVERTERS.contains(x.getConverter().getClassName())) {
            throw new ModelIntegrityException("XGBoost output converter \"" + x.getConverter().getClassName()
                    + "\" is not allowed; allowed: " + ALLOWED_CONVERTERS);
        }
    }

    @Override
    public boolean trainsFromArrays() {
        return true;
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

package dev.mlops.core.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.ListProvenance;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.ensemble.EnsembleCombiner;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.provenance.EnsembleModelProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.TransformerMap;

/**
 * Replaces the wall-clock {@code trained-at} time Tribuo records in model provenance by a fixed instant, so that
 * the same data and configuration always serialise to the same bytes (and the same SHA-256). The wall-clock time
 * of a run belongs in the registry, not in the content-addressed artifact.
 *
 * <p>Tribuo 4.3.2 exposes no public way to set the training time, so this uses its protected
 * {@code Model.copy(String, ModelProvenance)} and the package-private {@code TransformedModel} constructor via
 * reflection (no Java serialisation involved). A test guards the behaviour.
 */
final class DeterministicProvenance {

    /** The fixed training time written into provenance. */
    static final OffsetDateTime FIXED_TIME = OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    private DeterministicProvenance() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <T extends Output<T>> Model<T> normalise(Model<T> model) {
        try {
            if (model instanceof TransformedModel<T> tm) {
                Model<T> inner = normalise(tm.getInnerModel());
                Constructor<?> ctor = TransformedModel.class.getDeclaredConstructor(ModelProvenance.class, Model.class,
                        TransformerMap.class, boolean.class);
                ctor.setAccessible(true);
                return (Model<T>) ctor.newInstance(fixed(tm.getProvenance()), inner, tm.getTransformerMap(),
                        tm.getDensify());
            }
            if (model instanceof WeightedEnsembleModel<T> ensemble) {
                // Every member records its own training time too.
                List<Model<T>> members = new ArrayList<>();
                for (Model<T> m : ensemble.getModels()) {
                    members.add(normalise(m));
                }
                EnsembleModelProvenance p = ensemble.getProvenance();
                List<ModelProvenance> memberProvenance = new ArrayList<>();
                members.forEach(m -> memberProvenance.add(m.getProvenance()));
                EnsembleModelProvenance fixed = new EnsembleModelProvenance(p.getClassName(), FIXED_TIME,
                        p.getDatasetProvenance(), p.getTrainerProvenance(),
                        new HashMap<>(p.getInstanceProvenance().getMap()), new ListProvenance<>(memberProvenance));
                Field weights = WeightedEnsembleModel.class.getDeclaredField("weights");
                weights.setAccessible(true);
                Field combiner = WeightedEnsembleModel.class.getDeclaredField("combiner");
                combiner.setAccessible(true);
                return new WeightedEnsembleModel<>(ensemble.getName(), fixed, ensemble.getFeatureIDMap(),
                        ensemble.getOutputIDInfo(), members, (EnsembleCombiner<T>) combiner.get(ensemble),
                        (float[]) weights.get(ensemble));
            }
            Method copy = Model.class.getDeclaredMethod("copy", String.class, ModelProvenance.class);
            copy.setAccessible(true);
            return (Model<T>) copy.invoke(model, model.getName(), fixed(model.getProvenance()));
        } catch (NoSuchMethodException | NoSuchFieldException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot normalise Tribuo model provenance", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot normalise Tribuo model provenance", e.getCause());
        }
    }

    private static ModelProvenance fixed(ModelProvenance p) {
        Map<String, Provenance> instance = new HashMap<>(p.getInstanceProvenance().getMap());
        return new ModelProvenance(p.getClassName(), FIXED_TIME, p.getDatasetProvenance(), p.getTrainerProvenance(),
                instance);
    }
}

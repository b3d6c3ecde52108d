package dev.mlops.core.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.tribuo.Model;
import org.tribuo.Output;
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

    @SuppressWarnings("unchecked")
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
            Method copy = Model.class.getDeclaredMethod("copy", String.class, ModelProvenance.class);
            copy.setAccessible(true);
            return (Model<T>) copy.invoke(model, model.getName(), fixed(model.getProvenance()));
        } catch (NoSuchMethodException | InstantiationException | IllegalAccessException e) {
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

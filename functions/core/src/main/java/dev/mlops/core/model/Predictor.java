package dev.mlops.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.TransformedModelProto;
import org.tribuo.transform.TransformedModel;

/**
 * A loaded model plus its signature, answering validated prediction requests with predictions of its task (the
 * signature's {@code task}: a class, or a number).
 *
 * <p>{@link #load(ModelArtifact, ModelSignature)} never uses Java serialisation: it checks the SHA-256, parses
 * Tribuo's {@link ModelProto}, refuses any model class (including a wrapped inner model) that is not in
 * {@link #ALLOWED_MODEL_CLASSES} (the pipeline's standardising wrapper and what each {@link Family} writes), lets
 * the family of the inner model check every class it names, and only then calls {@link
 * Model#deserialize(ModelProto)}.
 *
 * <p>Instances are immutable and safe for concurrent {@link #predict(List)} calls.
 */
public final class Predictor {

    /**
     * Model classes this pipeline produces and therefore accepts: the standardising {@link TransformedModel}
     * a family's model is wrapped in (unless it trains from arrays), and each family's {@link Family#modelClasses()}.
     */
    public static final Set<String> ALLOWED_MODEL_CLASSES = allowedModelClasses();

    /** The only feature transformer the pipeline writes (standardisation). */
    static final Set<String> ALLOWED_TRANSFORMERS = Set.of(
            "org.tribuo.transform.transformations.MeanStdDevTransformation$MeanStdDevTransformer");

    /** Maximum number of instances per {@link #predict(List)} call. */
    public static final int MAX_INSTANCES = 1_000;

    /** The model with its task, so that its outputs are read as that task's. */
    private record Typed<T extends Output<T>>(Model<T> model, Task<T> task) {

        /**
         * One batch call to the model. Tribuo's {@link TransformedModel} (every family is wrapped in one) predicts
         * an iterable one example at a time, so XGBoost would build one native matrix and make one native call per
         * row; standardising here and handing the whole batch to the inner model lets XGBoost predict it in one
         * call (what {@link TransformedModel#predict(org.tribuo.Example)} does for one example, for all of them).
         */
        List<org.tribuo.Prediction<T>> predict(List<List<Feature>> rows) {
            List<org.tribuo.Example<T>> examples = new ArrayList<>(rows.size());
            TransformedModel<T> transformed = model instanceof TransformedModel<T> t && !t.getDensify() ? t : null;
            for (List<Feature> features : rows) {
                ArrayExample<T> e = new ArrayExample<>(task.outputFactory().getUnknownOutput(), features);
                examples.add(transformed == null ? e : transformed.getTransformerMap().transformExample(e));
            }
            return transformed == null ? model.predict(examples) : transformed.getInnerModel().predict(examples);
        }

        Prediction toPrediction(org.tribuo.Prediction<T> p, ModelSignature signature, boolean probabilistic) {
            return task.prediction(p, signature, probabilistic);
        }

        boolean probabilistic() {
            return task.probabilistic(model);
        }
    }

    private final Typed<?> typed;
    private final ModelSignature signature;
    private final FeatureEncoder encoder;

    /** Whether the model's scores are class probabilities; otherwise they are margins, softmax-normalised. */
    private final boolean probabilistic;

    /** The dense batch path, made on first use (it holds a copy of a native booster). */
    private volatile Optional<DenseBatch> denseBatch;

    private Predictor(Typed<?> typed, ModelSignature signature) {
        this.typed = typed;
        this.signature = signature;
        this.encoder = new FeatureEncoder(signature);
        this.probabilistic = typed.probabilistic();
    }

    /**
     * Whether the scores of {@link #predict} are the model's class probabilities. A linear SVM's are not:
     * its margins are mapped through a softmax so that they still sum to 1, but they are not calibrated. A
     * regression's never are.
     */
    public boolean probabilistic() {
        return probabilistic;
    }

    /** The task of the model (its signature's). */
    public Task<?> task() {
        return typed.task();
    }

    /**
     * Loads a model artifact.
     *
     * @param artifact  the serialised model
     * @param signature the signature it was trained with
     * @return the predictor
     * @throws ModelIntegrityException if the hash differs, the bytes are not a Tribuo model, the model class is
     *                                 not allow-listed, or the model's classes are not in the signature
     */
    public static Predictor load(ModelArtifact artifact, ModelSignature signature) {
        Objects.requireNonNull(artifact, "artifact");
        Objects.requireNonNull(signature, "signature");
        String actual = Sha256.hex(artifact.bytes());
        if (!actual.equals(artifact.sha256())) {
            throw new ModelIntegrityException("model bytes have sha256 " + actual + " but the artifact records "
                    + artifact.sha256() + "; refusing to load a modified model");
        }
        ModelProto proto;
        try {
            proto = ModelProto.parseFrom(artifact.bytes());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelIntegrityException("model bytes are not a Tribuo model protobuf", e);
        }
        checkAllowed(proto);
        Model<?> raw;
        try {
            raw = Model.deserialize(proto);
        } catch (RuntimeException e) {
            throw new ModelIntegrityException("model protobuf could not be deserialised: " + e.getMessage(), e);
        } catch (LinkageError e) {
            // XGBoost's native library (or its libgomp.so.1) is missing: a reason, not a crash.
            throw new ModelIntegrityException("model " + proto.getClassName() + " needs a native library that does"
                    + " not load here: " + e, e);
        }
        Task<?> task;
        try {
            task = Task.of(signature.task());
        } catch (IllegalArgumentException e) {
            throw new ModelIntegrityException("signature: " + e.getMessage());
        }
        return checked(raw, task, signature);
    }

    /** The deserialised model as its signature's task's, refused when it predicts another kind of output. */
    private static <T extends Output<T>> Predictor checked(Model<?> raw, Task<T> task, ModelSignature signature) {
        if (!raw.validate(task.outputClass())) {
            throw new ModelIntegrityException("model " + raw.getClass().getName() + " is not a " + task.id()
                    + " model, as its signature says");
        }
        return of(raw.castModel(task.outputClass()), task, signature);
    }

    /**
     * Walks the protobuf before anything is instantiated: the model class and every class it names (the
     * wrapped model of a {@code TransformedModel} and its transformers; what the inner model names, as its
     * family checks it: the members and combiner of an ensemble, the output converter of XGBoost) must be
     * allow-listed. A {@code TransformedModel} wraps exactly one non-wrapper model. No LibLinear class is
     * allowed: its protobuf wraps Java serialisation.
     */
    private static void checkAllowed(ModelProto proto) {
        checkAllowed(proto, 0);
    }

    private static void checkAllowed(ModelProto proto, int depth) {
        String cls = proto.getClassName();
        if (!ALLOWED_MODEL_CLASSES.contains(cls)) {
            throw new ModelIntegrityException("model class \"" + cls + "\" is not allowed; allowed: "
                    + ALLOWED_MODEL_CLASSES.stream().sorted().toList());
        }
        try {
            if (cls.equals(TransformedModel.class.getName())) {
                TransformedModelProto t = proto.getSerializedData().unpack(TransformedModelProto.class);
                String inner = t.getModel().getClassName();
                if (depth > 0 || cls.equals(inner)) {
                    throw new ModelIntegrityException("nested TransformedModel is not allowed");
                }
                for (var list : t.getTransformerMap().getTransformersMap().values()) {
                    for (var transformer : list.getTransformerList()) {
                        if (!ALLOWED_TRANSFORMERS.contains(transformer.getClassName())) {
                            throw new ModelIntegrityException("transformer \"" + transformer.getClassName()
                                    + "\" is not allowed; allowed: " + ALLOWED_TRANSFORMERS);
                        }
                    }
                }
                checkAllowed(t.getModel(), depth + 1);
            } else {
                checkFamily(proto);
            }
        } catch (InvalidProtocolBufferException e) {
            throw new ModelIntegrityException(cls + " protobuf is malformed", e);
        }
    }

    /**
     * The model is accepted when one family that writes its class accepts everything it names; otherwise the
     * first family's refusal is the answer.
     */
    private static void checkFamily(ModelProto proto) throws InvalidProtocolBufferException {
        ModelIntegrityException refused = null;
        for (Family family : Family.all()) {
            if (family.modelClasses().contains(proto.getClassName())) {
                try {
                    family.checkModel(proto);
                    return;
                } catch (ModelIntegrityException e) {
                    refused = refused == null ? e : refused;
                }
            }
        }
        if (refused != null) {
            throw refused;
        }
    }

    private static Set<String> allowedModelClasses() {
        Set<String> allowed = new TreeSet<>();
        allowed.add(TransformedModel.class.getName());
        Family.all().forEach(f -> allowed.addAll(f.modelClasses()));
        return Set.copyOf(allowed);
    }

    /**
     * Wraps an in-memory model.
     *
     * @param model     a trained model of the task
     * @param task      its task (the signature's)
     * @param signature its signature
     * @return the predictor
     * @throws ModelIntegrityException if a classification model predicts a class not in the signature
     */
    public static <T extends Output<T>> Predictor of(Model<T> model, Task<T> task, ModelSignature signature) {
        if (!task.id().equals(signature.task())) {
            throw new ModelIntegrityException("a " + task.id() + " model with a " + signature.task() + " signature");
        }
        if (task.outputClass() == Label.class) {
            for (Object o : model.getOutputIDInfo().getDomain()) {
                Label l = (Label) o;
                if (!signature.classes().contains(l.getLabel())) {
                    throw new ModelIntegrityException("model class \"" + l.getLabel() + "\" is not in the signature "
                            + signature.classes());
                }
            }
        }
        return new Predictor(new Typed<>(model, task), signature);
    }

    /**
     * The signature requests are validated against.
     *
     * @return the signature
     */
    public ModelSignature signature() {
        return signature;
    }

    /**
     * The underlying Tribuo model (for provenance and inspection; do not mutate).
     *
     * @return the model
     */
    public Model<?> model() {
        return typed.model();
    }

    /**
     * Predicts a batch. Every instance maps feature names to values (numbers, numeric strings, category strings,
     * {@code null} or absent for missing). The first problem found is reported.
     *
     * @param instances 1 to {@value #MAX_INSTANCES} instances
     * @return one prediction per instance, in order
     * @throws InvalidInstanceException if the batch is empty or too large, an instance is {@code null}, a field
     *                                  is unknown or has a value of the wrong kind, or no field of an instance
     *                                  has a value the model knows
     */
    public List<Prediction> predict(List<? extends Map<String, ?>> instances) {
        List<List<Feature>> rows = rows(instances, MAX_INSTANCES);
        ImmutableFeatureMap known = typed.model().getFeatureIDMap();
        // One batch call: XGBoost builds one native matrix per call, not one per instance.
        List<Prediction> out = scoreAll(typed, rows);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) == null) {
                throw notScorable(instances.get(i), i, known);
            }
        }
        return out;
    }

    /** The instances' features, checked: 1 to {@code max} instances, each with a value the model knows. */
    private List<List<Feature>> rows(List<? extends Map<String, ?>> instances, int max) {
        if (instances == null || instances.isEmpty()) {
            throw new InvalidInstanceException(-1, null, "expected at least one instance");
        }
        if (instances.size() > max) {
            throw new InvalidInstanceException(-1, null, "at most " + max + " instances per request, got "
                    + instances.size());
        }
        ImmutableFeatureMap known = typed.model().getFeatureIDMap();
        List<List<Feature>> rows = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            rows.add(features(instances.get(i), i, known));
        }
        return rows;
    }

    /**
     * The classification model, for what reads its classes' outputs (explanations, permutation importance).
     *
     * @return the model as a classification's
     * @throws IllegalStateException if the model is not a classification model (check {@link #task()} first)
     */
    public Model<Label> classificationModel() {
        if (typed.task().outputClass() != Label.class) {
            throw new IllegalStateException("a " + typed.task().id() + " model is not a classification model");
        }
        return typed.model().castModel(Label.class);
    }

    /**
     * The instances as a classification model's examples (not yet standardised), checked as {@link #predict}
     * checks them: what an explanation starts from.
     *
     * @param instances 1 to {@code max} instances
     * @param max       the most instances one call takes
     * @return one example per instance, in order
     * @throws InvalidInstanceException as {@link #predict}
     * @throws IllegalStateException    if the model is not a classification model
     */
    public List<ArrayExample<Label>> examples(List<? extends Map<String, ?>> instances, int max) {
        classificationModel();
        List<ArrayExample<Label>> examples = new ArrayList<>(instances == null ? 0 : instances.size());
        for (List<Feature> features : rows(instances, max)) {
            examples.add(new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features));
        }
        return examples;
    }

    /**
     * Scoring of many rows at once on a dense matrix ({@link DenseBatch}), for a model that has it (an XGBoost
     * classifier); empty for the others, which batch scoring predicts through {@link #predict}.
     *
     * @return the dense path, made once per predictor
     */
    public Optional<DenseBatch> denseBatch() {
        Optional<DenseBatch> dense = denseBatch;
        if (dense == null) {
            synchronized (this) {
                dense = denseBatch;
                if (dense == null) {
                    dense = DenseBatch.of(this);
                    denseBatch = dense;
                }
            }
        }
        return dense;
    }

    /** A classification model's Tribuo prediction as {@link #predict} answers it; null when not finite. */
    @SuppressWarnings("unchecked")
    Prediction prediction(org.tribuo.Prediction<Label> p) {
        return ((Typed<Label>) typed).toPrediction(p, signature, probabilistic);
    }

    /** The predictions of the rows' features; null where the model's numbers are not finite. */
    private <T extends Output<T>> List<Prediction> scoreAll(Typed<T> model, List<List<Feature>> rows) {
        List<org.tribuo.Prediction<T>> raw = model.predict(rows);
        List<Prediction> out = new ArrayList<>(raw.size());
        for (org.tribuo.Prediction<T> p : raw) {
            out.add(model.toPrediction(p, signature, probabilistic));
        }
        return out;
    }

    private List<Feature> features(Map<String, ?> instance, int index, ImmutableFeatureMap known) {
        List<Feature> features = encoder.encode(instance, index);
        boolean usable = false;
        for (Feature f : features) {
            if (known.get(f.getName()) != null) {
                usable = true;
                break;
            }
        }
        if (!usable) {
            throw new InvalidInstanceException(index, null,
                    "no feature has a usable value (all missing or unknown categories)");
        }
        return features;
    }

    /** The prediction, or null when the model's scores are not finite numbers. */
    private Prediction score(List<Feature> features) {
        return scoreAll(typed, List.of(features)).get(0);
    }

    /**
     * Why an instance's scores are not finite: a number too large for the model (its products
     * overflow). The field named is the one whose removal makes the scores finite, trying the
     * largest magnitudes first; failing that, the largest.
     */
    private InvalidInstanceException notScorable(Map<String, ?> instance, int index, ImmutableFeatureMap known) {
        List<Map.Entry<String, Double>> numbers = new ArrayList<>();
        for (Map.Entry<String, ?> e : instance.entrySet()) {
            if (e.getValue() != null && signature.feature(e.getKey()) != null
                    && signature.feature(e.getKey()).type() == dev.mlops.core.data.ColumnType.NUMERIC) {
                List<Feature> one = encoder.encode(Map.of(e.getKey(), e.getValue()), index);
                if (!one.isEmpty()) {
                    numbers.add(Map.entry(e.getKey(), one.get(0).getValue()));
                }
            }
        }
        numbers.sort((a, b) -> Double.compare(Math.abs(b.getValue()), Math.abs(a.getValue())));
        if (numbers.isEmpty()) {
            return new InvalidInstanceException(index, null, "the model's scores for this instance are not finite numbers");
        }
        String culprit = numbers.get(0).getKey();
        for (Map.Entry<String, Double> candidate : numbers) {
            Map<String, Object> without = new LinkedHashMap<>(instance);
            without.remove(candidate.getKey());
            try {
                if (score(features(without, index, known)) != null) {
                    culprit = candidate.getKey();
                    break;
                }
            } catch (InvalidInstanceException ignored) {
                // without it nothing is left to score: not the answer either
            }
        }
        return new InvalidInstanceException(index, culprit, instance.get(culprit)
                + " is too large in magnitude for this model: its scores overflow to non-finite numbers");
    }
}

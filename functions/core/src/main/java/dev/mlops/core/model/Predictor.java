package dev.mlops.core.model;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.model.family.Family;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.TransformedModelProto;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.transform.TransformedModel;

/**
 * A loaded classification model plus its signature, answering validated prediction requests.
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

    private final Model<Label> model;
    private final ModelSignature signature;
    private final FeatureEncoder encoder;

    /** Whether the model's scores are class probabilities; otherwise they are margins, softmax-normalised. */
    private final boolean probabilistic;

    private Predictor(Model<Label> model, ModelSignature signature) {
        this.model = model;
        this.signature = signature;
        this.encoder = new FeatureEncoder(signature);
        Model<Label> inner = model instanceof TransformedModel<Label> t ? t.getInnerModel() : model;
        // Tribuo flags its classification trees as not probabilistic, but their leaf scores are the training
        // rows' class fractions: probabilities in scikit-learn's sense (predict_proba) too.
        this.probabilistic = model.generatesProbabilities() || inner instanceof TreeModel;
    }

    /**
     * Whether the scores of {@link #predict} are the model's class probabilities. A linear SVM's are not:
     * its margins are mapped through a softmax so that they still sum to 1, but they are not calibrated.
     */
    public boolean probabilistic() {
        return probabilistic;
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
        if (!raw.validate(Label.class)) {
            throw new ModelIntegrityException("model " + proto.getClassName() + " is not a classification model");
        }
        return of(raw.castModel(Label.class), signature);
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
     * @param model     a trained classification model
     * @param signature its signature
     * @return the predictor
     * @throws ModelIntegrityException if the model predicts a class not in the signature
     */
    public static Predictor of(Model<Label> model, ModelSignature signature) {
        for (Label l : model.getOutputIDInfo().getDomain()) {
            if (!signature.classes().contains(l.getLabel())) {
                throw new ModelIntegrityException("model class \"" + l.getLabel() + "\" is not in the signature "
                        + signature.classes());
            }
        }
        return new Predictor(model, signature);
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
    public Model<Label> model() {
        return model;
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
        if (instances == null || instances.isEmpty()) {
            throw new InvalidInstanceException(-1, null, "expected at least one instance");
        }
        if (instances.size() > MAX_INSTANCES) {
            throw new InvalidInstanceException(-1, null, "at most " + MAX_INSTANCES + " instances per request, got "
                    + instances.size());
        }
        ImmutableFeatureMap known = model.getFeatureIDMap();
        List<ArrayExample<Label>> examples = new ArrayList<>(instances.size());
        for (int i = 0; i < instances.size(); i++) {
            examples.add(example(instances.get(i), i, known));
        }
        List<Prediction> out = new ArrayList<>(examples.size());
        // One batch call: XGBoost builds one native matrix per call, not one per instance.
        List<org.tribuo.Prediction<Label>> raw = model.predict(new ArrayList<org.tribuo.Example<Label>>(examples));
        for (int i = 0; i < examples.size(); i++) {
            Prediction p = toPrediction(raw.get(i));
            if (p == null) {
                throw notScorable(instances.get(i), i, known);
            }
            out.add(p);
        }
        return out;
    }

    private ArrayExample<Label> example(Map<String, ?> instance, int index, ImmutableFeatureMap known) {
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
        return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, features);
    }

    /** The prediction, or null when the model's scores are not finite numbers. */
    private Prediction score(ArrayExample<Label> example) {
        return toPrediction(model.predict(example));
    }

    private Prediction toPrediction(org.tribuo.Prediction<Label> p) {
        if (p.getOutput() == null || !Double.isFinite(p.getOutput().getScore())) {
            return null;
        }
        Map<String, Label> scores = p.getOutputScores();
        Map<String, Double> probs = new LinkedHashMap<>();
        for (String cls : signature.classes()) {
            Label l = scores.get(cls);
            double score = l == null ? 0.0 : l.getScore();
            if (!Double.isFinite(score)) {
                return null;
            }
            probs.put(cls, score);
        }
        return new Prediction(p.getOutput().getLabel(), probabilistic ? normalised(probs) : softmax(probs));
    }

    /** XGBoost computes in float: its probabilities sum to 1 only within 1e-7; rescaled in double. */
    private static Map<String, Double> normalised(Map<String, Double> probs) {
        double sum = probs.values().stream().mapToDouble(Double::doubleValue).sum();
        if (sum <= 0 || Math.abs(sum - 1) < 1e-12) {
            return probs;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        probs.forEach((k, v) -> out.put(k, v / sum));
        return out;
    }

    /** A linear SVM's margins mapped to scores that sum to 1 (not calibrated probabilities). */
    private static Map<String, Double> softmax(Map<String, Double> margins) {
        double max = margins.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double sum = 0;
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : margins.entrySet()) {
            double v = Math.exp(e.getValue() - max);
            out.put(e.getKey(), v);
            sum += v;
        }
        for (Map.Entry<String, Double> e : out.entrySet()) {
            e.setValue(e.getValue() / sum);
        }
        return out;
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
                if (score(example(without, index, known)) != null) {
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

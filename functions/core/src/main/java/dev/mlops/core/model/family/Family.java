package dev.mlops.core.model.family;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.model.DenseScorer;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * A model family: one Tribuo 4.3.2 trainer with its hyper-parameters, and everything else the pipeline needs
 * to know about it, in one class: how to configure its trainer, its default search grid, a rough estimate of
 * its time and artifact size, which model classes its artifacts may hold (the serving side's allow-list), and
 * the native libraries it needs. A new family is one subclass, listed in {@link #all()}, with its test and its
 * fixture under {@code src/test/resources/fixtures/models/}.
 *
 * <p>Hyper-parameter names are the Tribuo trainers' own option names; every family also takes {@value
 * #CLASS_WEIGHT} ({@code none} or {@code balanced}: example weights {@code n / (classes × n_class)}, as
 * scikit-learn's {@code class_weight="balanced"}).
 */
public abstract class Family {

    /** The hyper-parameter every family takes: {@code none} or {@code balanced}. */
    public static final String CLASS_WEIGHT = "classWeight";

    /**
     * Tribuo logs an INFO line per bagged tree and per SGD fit (1,200 lines for one forest search on wine):
     * those two loggers are held here at WARNING (strong references: java.util.logging keeps loggers weakly).
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.tribuo.ensemble.BaggingTrainer"),
            java.util.logging.Logger.getLogger("org.tribuo.common.sgd.AbstractSGDTrainer"));

    static {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
    }

    /** Every family, in the order a search tries them (a holder, so no subclass is made while this one loads). */
    private static final class All {
        static final List<Family> FAMILIES = List.of(new LogisticRegression(), new LinearSvm(), new Cart(),
                new RandomForest(), new ExtraTrees(), new XGBoost());
    }

    /** What the trainer is given: model features (after one-hot), training rows and classes. */
    public record Shape(int features, int rows, int classes) {
    }

    /** A configured trainer and the effective hyper-parameters (defaults filled in). */
    public record Configured(Trainer<Label> trainer, boolean balanced, Map<String, String> effective) {
    }

    /**
     * What one fit is expected to cost, deliberately pessimistic (BENCHMARKS.md, "Training search"): the fit's
     * nanoseconds on the reference machine and the bytes of the artifact it writes.
     */
    public record Cost(double fitNanos, double artifactBytes) {
    }

    private final String id;
    private final String counterpart;
    private final boolean probabilistic;
    private final Set<String> params;

    /**
     * @param id            the name in configs, payloads and the registry
     * @param counterpart   the scikit-learn estimator it is benchmarked against
     * @param probabilistic whether its scores are class probabilities
     * @param params        its hyper-parameters ({@value #CLASS_WEIGHT} is added)
     */
    Family(String id, String counterpart, boolean probabilistic, Set<String> params) {
        this.id = id;
        this.counterpart = counterpart;
        this.probabilistic = probabilistic;
        Set<String> known = new HashSet<>(params);
        known.add(CLASS_WEIGHT);
        this.params = Set.copyOf(known);
    }

    /** Every family, in the order a search tries them. */
    public static List<Family> all() {
        return All.FAMILIES;
    }

    /** Every family's name, in {@link #all()}'s order. */
    public static List<String> ids() {
        return all().stream().map(Family::id).toList();
    }

    /** The family of a name. */
    public static Optional<Family> of(String id) {
        return all().stream().filter(f -> f.id.equals(id)).findFirst();
    }

    /** The family of a name, or an {@link IllegalArgumentException} listing the supported ones. */
    public static Family require(String id) {
        return of(id).orElseThrow(() -> new IllegalArgumentException("unknown algorithm \"" + id
                + "\"; supported: " + String.join(", ", ids())));
    }

    /** The name used in configs, payloads and the registry, e.g. {@code random-forest}. */
    public final String id() {
        return id;
    }

    /** The scikit-learn estimator it is benchmarked against (a key of the benchmark's table). */
    public final String counterpart() {
        return counterpart;
    }

    /** Whether its scores are class probabilities (log-loss is computed only then). */
    public final boolean probabilistic() {
        return probabilistic;
    }

    @Override
    public String toString() {
        return id;
    }

    // ------------------------------------------------------------------ training

    /** Checks the names and values of hyper-parameters without training (a nominal data shape). */
    public final Map<String, String> check(Map<String, String> hyperParameters) {
        return configure(hyperParameters, 0L, new Shape(16, 1000, 2)).effective();
    }

    /**
     * Builds the trainer.
     *
     * @param hyperParameters as given (unknown names and malformed values are refused)
     * @param seed            the trainer's seed
     * @param shape           the training data's shape (features after one-hot, rows, classes)
     * @throws IllegalArgumentException naming the hyper-parameter and what it accepts
     */
    public final Configured configure(Map<String, String> hyperParameters, long seed, Shape shape) {
        HyperParameters p = new HyperParameters(id, hyperParameters, params);
        boolean balanced = p.choice(CLASS_WEIGHT, "none", Set.of("none", "balanced")).equals("balanced");
        Trainer<Label> trainer = trainer(p, seed, shape);
        return new Configured(trainer, balanced, p.effective());
    }

    /**
     * Whether its trainer fits from a dense table's arrays ({@link DenseTrainer}) instead of Tribuo examples; its
     * models are then not wrapped in the standardising model (trees do not need scaling) and evaluation scores
     * them with {@link #denseScorer}.
     */
    public boolean trainsFromArrays() {
        return false;
    }

    /** The family's trainer, reading its hyper-parameters (with their defaults) from {@code p}. */
    abstract Trainer<Label> trainer(HyperParameters p, long seed, Shape shape);

    /**
     * The values a search tries when the dataset's config names none (a family absent from every grid is
     * trained once, at its defaults).
     */
    public Map<String, List<String>> defaultGrid() {
        return Map.of();
    }

    /**
     * What one fit costs on data of this shape, with these effective hyper-parameters ({@link
     * Configured#effective()}): the time guard's estimate, measured per unit on the reference machine.
     */
    public abstract Cost cost(Map<String, String> effective, Shape shape);

    /** log2 of the rows, at least 1: a tree's depth for a balanced split. */
    static double log2(int rows) {
        return Math.max(1, Math.log(rows) / Math.log(2));
    }

    // ------------------------------------------------------------------ serving

    /**
     * The Tribuo model classes its artifacts hold, inside the pipeline's standardising {@code TransformedModel} or,
     * for a family that {@link #trainsFromArrays() trains from arrays}, bare:
     * the serving side's allow-list is these classes of every family, nothing else.
     */
    public abstract Set<String> modelClasses();

    /**
     * Checks a protobuf of one of {@link #modelClasses()} before anything in it is instantiated: every class it
     * names besides (ensemble members and combiners, output converters) must be one this family writes.
     *
     * @throws dev.mlops.core.errors.ModelIntegrityException naming the class that is not allowed
     */
    public void checkModel(ModelProto proto) throws InvalidProtocolBufferException {
    }

    /**
     * The model's own batch scoring of dense rows ({@link DenseScorer}), for a model of this family as its trainer
     * made it (not wrapped); empty when the model scores only through Tribuo examples.
     */
    public Optional<DenseScorer> denseScorer(Model<Label> model) {
        return Optional.empty();
    }

    // ------------------------------------------------------------------ native libraries

    /** The native libraries it needs to train and to predict (none for the pure-Java families). */
    public List<NativeLibrary> nativeLibraries() {
        return List.of();
    }

    /** Why it cannot run here ({@link NativeLibrary#unavailableReason()}), or empty when it can. */
    public final Optional<String> unavailableReason() {
        return unavailableReason(NativeLibrary::unavailableReason);
    }

    /**
     * Why it cannot run here by another probe of native libraries (tests simulate a runtime without them), or
     * empty when it can.
     */
    public final Optional<String> unavailableReason(Function<NativeLibrary, Optional<String>> probe) {
        for (NativeLibrary library : nativeLibraries()) {
            Optional<String> why = probe.apply(library);
            if (why.isPresent()) {
                return why;
            }
        }
        return Optional.empty();
    }

    /** The version of a library in this JVM, from its jar's Maven metadata ({@code unknown} without one). */
    static String mavenVersion(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Family.class.getResourceAsStream(path)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

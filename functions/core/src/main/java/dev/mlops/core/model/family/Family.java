package dev.mlops.core.model.family;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.model.DenseScorer;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.model.task.Task;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.Regressor;

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
 * A model family: Tribuo 4.3.2 trainers with their hyper-parameters, one per task the family serves (its {@link
 * #classifier} and its {@link #regressor}), and everything else the pipeline needs to know about it, in one
 * class: how to configure its trainer, its default search grid, a rough estimate of
 * its time and artifact size, which model classes its artifacts may hold (the serving side's allow-list), and
 * the native libraries it needs. A new family is one subclass, listed in {@link #all()}, with its test and its
 * fixture under {@code src/test/resources/fixtures/models/}.
 *
 * <p>Hyper-parameter names are the Tribuo trainers' own option names; every family also takes {@value
 * #CLASS_WEIGHT} ({@code none} or {@code balanced}: example weights {@code n / (classes × n_class)}, as
 * scikit-learn's {@code class_weight="balanced"}; classification only).
 */
public abstract class Family {

    /** The hyper-parameter every family takes: {@code none} or {@code balanced}. */
    public static final String CLASS_WEIGHT = "classWeight";

    /**
     * Tribuo logs an INFO line per bagged tree and per SGD fit (1,200 lines for one forest search on wine):
     * those two loggers are held at WARNING from the first trainer built on (strong references: java.util.logging
     * keeps loggers weakly). A holder, not this class's start: java.util.logging's start looks for a logging backend
     * in every jar of the class path (some 140 under {@code ./mlops}), which checking a config that names families
     * need not pay (BENCHMARKS.md, "Validate: no class looked for in every jar").
     */
    private static final class QuietTribuo {
        static final List<java.util.logging.Logger> LOGGERS = List.of(
                java.util.logging.Logger.getLogger("org.tribuo.ensemble.BaggingTrainer"),
                java.util.logging.Logger.getLogger("org.tribuo.common.sgd.AbstractSGDTrainer"));

        static {
            LOGGERS.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        }

        /** Holds them at WARNING (the first call loads this class, which does it). */
        static void hold() {
        }
    }

    /** Every family, in the order a search tries them (a holder, so no subclass is made while this one loads). */
    private static final class All {
        static final List<Family> FAMILIES = List.of(new LogisticRegression(), new LinearSvm(),
                new LinearRegression(), new Cart(), new RandomForest(), new ExtraTrees(), new XGBoost());
    }

    /**
     * What the trainer is given: model features (after one-hot), training rows, classes (1 for a regression) and,
     * for a regression, the standard deviation of the label on the training rows (1 otherwise): the size of the
     * numbers a linear model's weights must reach.
     */
    public record Shape(int features, int rows, int classes, double labelScale) {

        /** A shape with a label scale of 1. */
        public Shape(int features, int rows, int classes) {
            this(features, rows, classes, 1.0);
        }
    }

    /** A configured trainer and the effective hyper-parameters (defaults filled in). */
    public record Configured<T extends Output<T>>(Trainer<T> trainer, boolean balanced, Map<String, String> effective) {
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
    private final List<Task<?>> tasks;

    /**
     * @param id            the name in configs, payloads and the registry
     * @param counterpart   the scikit-learn estimator it is benchmarked against
     * @param probabilistic whether its scores are class probabilities
     * @param params        its hyper-parameters ({@value #CLASS_WEIGHT} is added)
     * @param tasks         the tasks it has a trainer for
     */
    Family(String id, String counterpart, boolean probabilistic, Set<String> params, List<Task<?>> tasks) {
        this.id = id;
        this.counterpart = counterpart;
        this.probabilistic = probabilistic;
        Set<String> known = new HashSet<>(params);
        known.add(CLASS_WEIGHT);
        this.params = Set.copyOf(known);
        this.tasks = List.copyOf(tasks);
    }

    /** The families with a trainer for both tasks. */
    static final List<Task<?>> BOTH = List.of(Classification.TASK, Regression.TASK);

    /** Every family, in the order a search tries them. */
    public static List<Family> all() {
        return All.FAMILIES;
    }

    /** Every family's name, in {@link #all()}'s order. */
    public static List<String> ids() {
        return all().stream().map(Family::id).toList();
    }

    /** The names of the families with a trainer for {@code task}, in {@link #all()}'s order. */
    public static List<String> ids(Task<?> task) {
        return all().stream().filter(f -> f.supports(task)).map(Family::id).toList();
    }

    /**
     * Whether its memory and time grow gently enough with rows for millions of them: not so for Tribuo's trees,
     * which build an inverted index of every feature (about 2 GB at 1M rows × 20 continuous features, and a CART
     * still splitting after 900 s with 8 GB: BENCHMARKS.md "Training scale"). The default search leaves the
     * others out past {@link dev.mlops.core.pipeline.TrainingSettings#TREES_UP_TO} rows.
     */
    public boolean scalesToMillionsOfRows() {
        return true;
    }

    /** Whether it has a trainer for {@code task}. */
    public final boolean supports(Task<?> task) {
        return tasks.contains(task);
    }

    /** The tasks it has a trainer for. */
    public final List<Task<?>> tasks() {
        return tasks;
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

    /**
     * Checks the names and values of hyper-parameters without training (a nominal data shape): accepted when the
     * trainer of one of its tasks takes them (the task itself is checked when the run's candidates are trained).
     */
    public final Map<String, String> check(Map<String, String> hyperParameters) {
        IllegalArgumentException first = null;
        for (Task<?> task : tasks) {
            try {
                return configure(task, hyperParameters, 0L, new Shape(16, 1000, 2)).effective();
            } catch (IllegalArgumentException e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /**
     * Builds the classification trainer (a classification's search; kept for callers that have no other task).
     *
     * @see #configure(Task, Map, long, Shape)
     */
    public final Configured<Label> configure(Map<String, String> hyperParameters, long seed, Shape shape) {
        return configure(Classification.TASK, hyperParameters, seed, shape);
    }

    /**
     * Builds the trainer of a task.
     *
     * @param task            the task (one of {@link #tasks()})
     * @param hyperParameters as given (unknown names and malformed values are refused)
     * @param seed            the trainer's seed
     * @param shape           the training data's shape (features after one-hot, rows, classes)
     * @throws IllegalArgumentException naming the hyper-parameter and what it accepts, or the task the family has
     *                                  no trainer for
     */
    @SuppressWarnings("unchecked")
    public final <T extends Output<T>> Configured<T> configure(Task<T> task, Map<String, String> hyperParameters,
                                                               long seed, Shape shape) {
        if (!supports(task)) {
            throw new IllegalArgumentException("family " + id + " has no " + task.id() + " trainer; the " + task.id()
                    + " families are " + String.join(", ", ids(task)));
        }
        QuietTribuo.hold();
        HyperParameters p = new HyperParameters(id, hyperParameters, params);
        boolean regression = task == Regression.TASK;
        boolean balanced = p.choice(CLASS_WEIGHT, "none", Set.of("none", "balanced")).equals("balanced");
        if (balanced && regression) {
            throw new IllegalArgumentException("hyper-parameter \"" + CLASS_WEIGHT + "\" balanced weights classes; a"
                    + " regression has none (" + id + ")");
        }
        Trainer<?> trainer = regression ? regressor(p, seed, shape) : classifier(p, seed, shape);
        Map<String, String> effective = new java.util.TreeMap<>(p.effective());
        if (regression) {
            effective.remove(CLASS_WEIGHT);
        }
        return new Configured<>((Trainer<T>) trainer, balanced, Map.copyOf(effective));
    }

    /**
     * Whether its trainer for {@code task} fits from a dense table's arrays ({@link DenseTrainer}) instead of
     * Tribuo examples; its models are then not wrapped in the standardising model (trees do not need scaling) and
     * evaluation scores them with {@link #denseScorer}. Only classifications train from arrays so far.
     */
    public boolean trainsFromArrays(Task<?> task) {
        return false;
    }

    /** The family's classification trainer, reading its hyper-parameters (with their defaults) from {@code p}. */
    Trainer<Label> classifier(HyperParameters p, long seed, Shape shape) {
        throw new IllegalStateException(id + " has no classification trainer");
    }

    /** The family's regression trainer, reading its hyper-parameters (with their defaults) from {@code p}. */
    Trainer<Regressor> regressor(HyperParameters p, long seed, Shape shape) {
        throw new IllegalStateException(id + " has no regression trainer");
    }

    /**
     * The values a search tries when the dataset's config names none (a family absent from every grid is
     * trained once, at its defaults).
     */
    public Map<String, List<String>> defaultGrid() {
        return Map.of();
    }

    /** The values a search of {@code task} tries when the config names none: {@link #defaultGrid()} by default. */
    public Map<String, List<String>> defaultGrid(Task<?> task) {
        return defaultGrid();
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
     * for a family that {@link #trainsFromArrays(Task) trains from arrays}, bare:
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

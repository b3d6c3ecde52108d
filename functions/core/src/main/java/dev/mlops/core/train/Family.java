package dev.mlops.core.train;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.Entropy;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.dtree.impurity.LabelImpurity;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.Hinge;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.optimisers.AdaGrad;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model families a candidate can be, each a Tribuo 4.3.2 trainer. Hyper-parameter names are
 * the Tribuo trainers' own option names; every family also takes {@value #CLASS_WEIGHT}
 * ({@code none} or {@code balanced}: example weights {@code n / (classes × n_class)}, as
 * scikit-learn's {@code class_weight="balanced"}).
 *
 * <ul>
 *   <li>{@code logistic-regression}: multinomial logistic regression by SGD ({@link LinearSGDTrainer},
 *       {@link LogMulticlass}, AdaGrad), exactly what Tribuo's {@code LogisticRegressionTrainer} configures but
 *       with a seed and epochs; {@code epochs} 50, {@code learningRate} 1.0, {@code minibatchSize} 1.</li>
 *   <li>{@code linear-svm}: a linear SVM by SGD on the multi-class hinge loss ({@link Hinge}); same options.
 *       Its scores are margins, not probabilities (no log-loss).</li>
 *   <li>{@code cart}: one CART tree ({@link CARTClassificationTrainer}); {@code maxDepth} none,
 *       {@code minChildWeight} 5, {@code impurity} gini|entropy.</li>
 *   <li>{@code random-forest}: bagged CART trees with feature subsampling ({@link RandomForestTrainer}), soft
 *       voting ({@link FullyWeightedVotingCombiner}, as scikit-learn averages probabilities); {@code numTrees}
 *       100 (fewer on large many-class data, see {@link #FOREST_BYTES_BUDGET}), {@code fractionFeaturesInSplit}
 *       sqrt, {@code maxDepth} none, {@code minChildWeight} 2.</li>
 *   <li>{@code extra-trees}: bagged trees with random split points ({@link ExtraTreesTrainer}); same options.</li>
 *   <li>{@code xgboost}: gradient-boosted trees ({@code XGBoostClassificationTrainer}, histogram method);
 *       {@code numTrees} 100, {@code eta} 0.3, {@code maxDepth} 6, {@code minChildWeight} 1, {@code subsample} 1,
 *       {@code featureSubsample} 1, {@code lambda} 1, {@code alpha} 0, {@code gamma} 0, {@code nThread} 1. Only
 *       where its native library loads ({@link XGBoostSupport}).</li>
 * </ul>
 */
public enum Family {

    LOGISTIC_REGRESSION("logistic-regression", "logistic_regression", true,
            Set.of("epochs", "learningRate", "minibatchSize")),
    LINEAR_SVM("linear-svm", "linear_svm", false, Set.of("epochs", "learningRate", "minibatchSize")),
    CART("cart", "decision_tree", true, Set.of("maxDepth", "minChildWeight", "impurity")),
    RANDOM_FOREST("random-forest", "random_forest", true,
            Set.of("numTrees", "maxDepth", "minChildWeight", "fractionFeaturesInSplit", "impurity")),
    EXTRA_TREES("extra-trees", "extra_trees", true,
            Set.of("numTrees", "maxDepth", "minChildWeight", "fractionFeaturesInSplit", "impurity")),
    XGBOOST("xgboost", "gradient_boosting", true, Set.of("numTrees", "eta", "maxDepth", "minChildWeight",
            "subsample", "featureSubsample", "lambda", "alpha", "gamma", "nThread"));

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

    /** The hyper-parameter every family takes: {@code none} or {@code balanced}. */
    public static final String CLASS_WEIGHT = "classWeight";

    private final String id;
    private final String counterpart;
    private final boolean probabilistic;
    private final Set<String> params;

    Family(String id, String counterpart, boolean probabilistic, Set<String> params) {
        this.id = id;
        this.counterpart = counterpart;
        this.probabilistic = probabilistic;
        this.params = params;
    }

    /** The name used in configs, payloads and the registry, e.g. {@code random-forest}. */
    public String id() {
        return id;
    }

    /** The scikit-learn estimator it is benchmarked against (a key of the benchmark's table). */
    public String counterpart() {
        return counterpart;
    }

    /** Whether its scores are class probabilities (log-loss is computed only then). */
    public boolean probabilistic() {
        return probabilistic;
    }

    /** Every family's name, in declaration order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(Family::id).toList();
    }

    /** The family of a name. */
    public static Optional<Family> of(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst();
    }

    /**
     * The family of a name, or an {@link IllegalArgumentException} listing the supported ones.
     */
    public static Family require(String id) {
        return of(id).orElseThrow(() -> new IllegalArgumentException("unknown algorithm \"" + id
                + "\"; supported: " + String.join(", ", ids())));
    }

    /** Checks the names and values of hyper-parameters without training (a nominal data shape). */
    public Map<String, String> check(Map<String, String> hyperParameters) {
        return configure(hyperParameters, 0L, new Shape(16, 1000, 2)).effective();
    }

    /** What the trainer is given: model features (after one-hot), training rows and classes. */
    record Shape(int features, int rows, int classes) {
    }

    /**
     * Tribuo writes every tree node as its own protobuf message, and every leaf with one score per class:
     * measured, a fully grown tree takes about 20 bytes × training rows × (classes + 4) (pima: 69 KB a tree,
     * letter: 5.8 MB; extra trees about 1.5 times that). A forest's default size is capped so its artifact stays
     * under this many bytes: 100 trees unless that would exceed it, never fewer than
     * {@value #MIN_DEFAULT_TREES}. An explicit {@code numTrees} is obeyed.
     */
    static final long FOREST_BYTES_BUDGET = 100L << 20;
    static final int MIN_DEFAULT_TREES = 5;

    static int defaultTrees(Family f, Shape shape) {
        double perTree = 20.0 * shape.rows() * (shape.classes() + 4) * (f == EXTRA_TREES ? 1.5 : 1.0);
        return (int) Math.max(MIN_DEFAULT_TREES, Math.min(100, Math.floor(FOREST_BYTES_BUDGET / perTree)));
    }

    /** A configured trainer and the effective hyper-parameters (defaults filled in). */
    record Configured(Trainer<Label> trainer, boolean balanced, Map<String, String> effective) {
    }

    /**
     * Builds the trainer.
     *
     * @param hyperParameters as given (unknown names and malformed values are refused)
     * @param seed            the trainer's seed
     * @param shape           the training data's shape (features after one-hot, rows, classes)
     */
    Configured configure(Map<String, String> hyperParameters, long seed, Shape shape) {
        java.util.HashSet<String> known = new java.util.HashSet<>(params);
        known.add(CLASS_WEIGHT);
        HyperParameters p = new HyperParameters(id, hyperParameters, known);
        boolean balanced = p.choice(CLASS_WEIGHT, "none", Set.of("none", "balanced")).equals("balanced");
        Trainer<Label> trainer = switch (this) {
            case LOGISTIC_REGRESSION, LINEAR_SVM -> {
                int epochs = p.positiveInt("epochs", 50);
                double rate = p.positive("learningRate", 1.0);
                int minibatch = p.positiveInt("minibatchSize", 1);
                yield new LinearSGDTrainer(this == LINEAR_SVM ? new Hinge() : new LogMulticlass(),
                        new AdaGrad(rate, 0.1), epochs, -1, minibatch, seed);
            }
            case CART -> new CARTClassificationTrainer(p.depth("maxDepth", Integer.MAX_VALUE),
                    (float) p.positive("minChildWeight", CARTClassificationTrainer.MIN_EXAMPLES), 0.0f, 1.0f, false,
                    impurity(p), seed);
            case RANDOM_FOREST, EXTRA_TREES -> {
                int trees = p.positiveInt("numTrees", defaultTrees(this, shape));
                int depth = p.depth("maxDepth", Integer.MAX_VALUE);
                float minChild = (float) p.positive("minChildWeight", 2);
                float fraction = p.featureFraction("fractionFeaturesInSplit", "sqrt", shape.features());
                LabelImpurity impurity = impurity(p);
                boolean random = this == EXTRA_TREES;
                CARTClassificationTrainer tree = new CARTClassificationTrainer(depth, minChild, 0.0f,
                        random ? Math.min(1f, fraction) : fraction, random, impurity, seed);
                yield random
                        ? new ExtraTreesTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed)
                        : new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
            }
            case XGBOOST -> XGBoostSupport.trainer(p, seed);
        };
        return new Configured(trainer, balanced, p.effective());
    }

    private static LabelImpurity impurity(HyperParameters p) {
        return p.choice("impurity", "gini", Set.of("gini", "entropy")).equals("gini") ? new GiniIndex() : new Entropy();
    }
}

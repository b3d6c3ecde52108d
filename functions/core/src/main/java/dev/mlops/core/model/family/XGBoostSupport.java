package dev.mlops.core.model.family;

import dev.mlops.core.model.DenseScorer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;

import java.util.Optional;

/**
 * Whether XGBoost's native library loads here. xgboost4j extracts {@code libxgboost4j.so} from its
 * jar and loads it; that library needs the OpenMP runtime {@code libgomp.so.1}, which a minimal
 * image (the Lambda Java runtime among them) may lack. The probe runs once per JVM: it builds a
 * one-cell {@code DMatrix}, which loads the library, and turns any failure into a reason.
 *
 * <p>Everything that touches XGBoost classes lives here, so the other families never load them.
 */
public final class XGBoostSupport {

    /** xgboost4j's native library, as the {@link XGBoost} family needs it. */
    static final NativeLibrary LIBRARY = new NativeLibrary() {
        @Override
        public String name() {
            return "xgboost4j";
        }

        @Override
        public String version() {
            return Family.mavenVersion("ml.dmlc", "xgboost4j_2.12");
        }

        @Override
        public Optional<String> unavailableReason() {
            return XGBoostSupport.unavailableReason();
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private static volatile Optional<String> unavailable;

    private XGBoostSupport() {
    }

    /** Empty when XGBoost can train and predict here; otherwise why not (for the skip message). */
    public static Optional<String> unavailableReason() {
        Optional<String> r = unavailable;
        if (r == null) {
            synchronized (XGBoostSupport.class) {
                if (unavailable == null) {
                    unavailable = probe();
                }
                r = unavailable;
            }
        }
        return r;
    }

    private static Optional<String> probe() {
        try {
            DMatrix m = new DMatrix(new float[] {1f}, 1, 1, Float.NaN);
            m.dispose();
            return Optional.empty();
        } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, XGBoostError
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return Optional.of("XGBoost's native library does not load here (" + root.getClass().getSimpleName()
                    + ": " + root.getMessage() + "); it needs libgomp.so.1 (see the training README)");
        }
    }

    /** The hyper-parameters both trainers take, in their constructors' order after the tree count. */
    private record Settings(int trees, double eta, double gamma, int depth, double minChild, double subsample,
                            double featureSubsample, double lambda, double alpha, int threads) {
    }

    /** The dense classification trainer, with early stopping ({@link XGBoost#EARLY_STOPPING}, 0 by default). */
    static Trainer<Label> classifier(HyperParameters p, long seed) {
        Settings s = settings(p, 100, 0.3, 1);
        int earlyStopping = p.nonNegativeInt(XGBoost.EARLY_STOPPING, 0);
        return new DenseXGBoostTrainer(s.trees(), s.eta(), s.gamma(), s.depth(), s.minChild(), s.subsample(),
                s.featureSubsample(), s.lambda(), s.alpha(), s.threads(), seed, earlyStopping);
    }

    /**
     * Squared error (XGBoost's {@code reg:squarederror}), by default 300 trees at {@code eta} 0.1 on 80 % row
     * samples: on the diamonds split that is test RMSE 623, against 642 on every row and 665 at the classification
     * defaults (BENCHMARKS.md, "Regression").
     */
    static Trainer<Regressor> regressor(HyperParameters p, long seed) {
        Settings s = settings(p, 300, 0.1, 0.8);
        if (p.nonNegativeInt(XGBoost.EARLY_STOPPING, 0) > 0) {
            throw new IllegalArgumentException("hyper-parameter \"" + XGBoost.EARLY_STOPPING + "\": a regression"
                    + " does not stop early; give numTrees instead (" + XGBoost.ID + ")");
        }
        return new XGBoostRegressionTrainer(XGBoostTrainer.BoosterType.GBTREE, XGBoostTrainer.TreeMethod.HIST,
                XGBoostRegressionTrainer.RegressionType.LINEAR, s.trees(), s.eta(), s.gamma(), s.depth(),
                s.minChild(), s.subsample(), s.featureSubsample(), s.lambda(), s.alpha(), s.threads(),
                XGBoostTrainer.LoggingVerbosity.SILENT, seed);
    }

    /** The hyper-parameters, with the task's defaults for the tree count, the learning rate and the row sample. */
    private static Settings settings(HyperParameters p, int defaultTrees, double defaultEta, double defaultSubsample) {
        int trees = p.positiveInt("numTrees", defaultTrees);
        double eta = p.positive("eta", defaultEta);
        int depth = p.positiveInt("maxDepth", 6);
        double minChild = p.nonNegative("minChildWeight", 1);
        double subsample = p.fraction("subsample", defaultSubsample);
        double featureSubsample = p.fraction("featureSubsample", 1);
        double lambda = p.nonNegative("lambda", 1);
        double alpha = p.nonNegative("alpha", 0);
        double gamma = p.nonNegative("gamma", 0);
        // One thread by default: the same result on every machine, whatever its cores.
        int threads = p.positiveInt("nThread", 1);
        return new Settings(trees, eta, gamma, depth, minChild, subsample, featureSubsample, lambda, alpha, threads);
    }

    /** A bare XGBoost model's booster on dense rows: class probabilities by the model's output ids. */
    @SuppressWarnings("unchecked")
    static DenseScorer scorer(Model<Label> model) {
        XGBoostModel<Label> xgb = (XGBoostModel<Label>) (Model<?>) model;
        int width = xgb.getFeatureIDMap().size();
        int outputs = xgb.getOutputIDInfo().size();
        // Tribuo hands out a copy of its booster: taken once, freed when the scorer closes.
        Booster booster = xgb.getInnerModels().get(0);
        return new DenseScorer() {
            @Override
            public double[] scores(float[] matrix, int rows) {
                DMatrix m = null;
                try {
                    m = new DMatrix(matrix, rows, width, Float.NaN);
                    float[][] p = booster.predict(m);
                    double[] out = new double[rows * outputs];
                    for (int i = 0; i < rows; i++) {
                        for (int k = 0; k < outputs; k++) {
                            out[i * outputs + k] = p[i][k];
                        }
                    }
                    return out;
                } catch (XGBoostError e) {
                    throw new IllegalStateException("XGBoost could not score: " + e.getMessage(), e);
                } finally {
                    if (m != null) {
                        m.dispose();
                    }
                }
            }

            @Override
            public void close() {
                booster.dispose();
            }
        };
    }
}

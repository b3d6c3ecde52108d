package dev.mlops.core.model.family;

import dev.mlops.core.model.DenseScorer;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Model;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;

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

    static Trainer<Label> trainer(HyperParameters p, long seed) {
        int trees = p.positiveInt("numTrees", 100);
        int earlyStopping = p.nonNegativeInt("earlyStopping", 0);
        double eta = p.positive("eta", 0.3);
        int depth = p.positiveInt("maxDepth", 6);
        double minChild = p.nonNegative("minChildWeight", 1);
        double subsample = p.fraction("subsample", 1);
        double featureSubsample = p.fraction("featureSubsample", 1);
        double lambda = p.nonNegative("lambda", 1);
        double alpha = p.nonNegative("alpha", 0);
        double gamma = p.nonNegative("gamma", 0);
        // One thread by default: the same result on every machine, whatever its cores.
        int threads = p.positiveInt("nThread", 1);
        return new DenseXGBoostTrainer(trees, eta, gamma, depth, minChild, subsample, featureSubsample, lambda, alpha,
                threads, seed, earlyStopping);
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

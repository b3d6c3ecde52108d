package dev.mlops.core.model.family;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.mlops.core.model.DenseFeatures;
import dev.mlops.core.model.TrainingRows;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.Dataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.xgboost.XGBoostClassificationConverter;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * Tribuo's XGBoost classification trainer, fitted from a dense table ({@link DenseTrainer}) rather than from a
 * Tribuo dataset: the training rows go to XGBoost as one dense {@code float} matrix (missing values and absent
 * one-hot features as {@code NaN}, which XGBoost reads as missing, as Tribuo's sparse matrices leave them out),
 * and the booster becomes Tribuo's own {@link XGBoostModel} with its classification converter, so the artifact
 * is the one Tribuo writes. With {@code earlyStopping} rounds and rows to watch, boosting stops once the watched
 * rows' log-loss has not improved for that many rounds; the fit reports the rounds it ran as {@code numTrees}.
 * A Tribuo dataset ({@link #train(Dataset, Map, int)}) trains as {@link XGBoostClassificationTrainer} does.
 */
public final class DenseXGBoostTrainer extends XGBoostTrainer<Label> implements DenseTrainer {

    @Config(description = "Rounds without improvement of the watched rows' log-loss after which boosting stops"
            + " (0: never).")
    private int earlyStopping = 0;

    /** For OLCUT's configuration system. */
    private DenseXGBoostTrainer() {
        super();
    }

    DenseXGBoostTrainer(int numTrees, double eta, double gamma, int maxDepth, double minChildWeight, double subsample,
                        double featureSubsample, double lambda, double alpha, int nThread, long seed,
                        int earlyStopping) {
        super(BoosterType.GBTREE, TreeMethod.HIST, numTrees, eta, gamma, maxDepth, minChildWeight, subsample,
                featureSubsample, lambda, alpha, nThread, LoggingVerbosity.SILENT, seed);
        this.earlyStopping = earlyStopping;
        // Tribuo's base constructor leaves the booster's parameters (and the objective) to postConfig.
        postConfig();
    }

    @Override
    public void postConfig() {
        super.postConfig();
        parameters.put("objective", "multi:softprob");
    }

    @Override
    public Fit train(TrainingRows rows) {
        ImmutableFeatureMap featureMap = rows.featureMap();
        ImmutableOutputInfo<Label> outputInfo = rows.outputInfo();
        DenseFeatures.Layout layout = rows.features().layout(featureMap);
        Map<String, Object> params = copyParams(parameters);
        params.put("num_class", outputInfo.size());
        TrainerProvenance trainerProvenance = getProvenance();
        DMatrix train = null;
        DMatrix watched = null;
        try {
            train = matrix(rows, layout, rows.rows(), outputInfo, true);
            int rounds = numTrees;
            Booster booster;
            int[] watch = known(rows, rows.watch(), outputInfo);
            if (earlyStopping > 0 && watch.length > 0) {
                watched = matrix(rows, layout, watch, outputInfo, false);
                params.put("eval_metric", "mlogloss");
                params.put("maximize_evaluation_metrics", "false");
                // XGBoost4J prints every round's loss to the console unless told not to.
                params.put("verbose_eval", "false");
                float[][] losses = new float[1][numTrees];
                Arrays.fill(losses[0], Float.NaN);
                booster = XGBoost.train(train, params, numTrees, Map.of("watched", watched), losses, null, null,
                        earlyStopping);
                // The booster keeps every round it ran: at most earlyStopping past the best, cheaper than
                // boosting again to the best round, and the same model a refit with these rounds makes.
                rounds = rounds(losses[0]);
            } else {
                booster = XGBoost.train(train, params, numTrees, Map.of(), null, null);
            }
            ModelProvenance provenance = new ModelProvenance(XGBoostModel.class.getName(), OffsetDateTime.now(),
                    rows.datasetProvenance(), trainerProvenance, Map.<String, Provenance>of());
            XGBoostModel<Label> model = createModel("xgboost-classification-model", provenance, featureMap,
                    outputInfo, List.of(booster), new XGBoostClassificationConverter());
            return new Fit(model, earlyStopping > 0 && watch.length > 0
                    ? Map.of("numTrees", Integer.toString(rounds)) : Map.of());
        } catch (XGBoostError e) {
            throw new IllegalStateException("XGBoost failed: " + e.getMessage(), e);
        } finally {
            if (train != null) {
                train.dispose();
            }
            if (watched != null) {
                watched.dispose();
            }
        }
    }

    /** The rows whose class the training rows have (XGBoost refuses a label outside its classes). */
    private static int[] known(TrainingRows rows, int[] candidates, ImmutableOutputInfo<Label> outputInfo) {
        return Arrays.stream(candidates).filter(r -> outputInfo.getID(rows.label(r)) >= 0).toArray();
    }

    /** The rows as XGBoost's dense matrix, with their labels (output ids) and, for training rows, weights. */
    private static DMatrix matrix(TrainingRows rows, DenseFeatures.Layout layout, int[] which,
                                  ImmutableOutputInfo<Label> outputInfo, boolean weighted) throws XGBoostError {
        DMatrix m = new DMatrix(layout.matrix(which), which.length, layout.width(), Float.NaN);
        float[] labels = new float[which.length];
        for (int i = 0; i < which.length; i++) {
            labels[i] = outputInfo.getID(rows.label(which[i]));
        }
        m.setLabel(labels);
        if (weighted && !rows.unweighted()) {
            float[] w = new float[which.length];
            for (int i = 0; i < w.length; i++) {
                w[i] = rows.weight(i);
            }
            m.setWeight(w);
        }
        return m;
    }

    /** The number of rounds XGBoost ran (it stops writing the losses when it stops early). */
    private static int rounds(float[] losses) {
        int n = 0;
        while (n < losses.length && !Float.isNaN(losses[n])) {
            n++;
        }
        return Math.max(1, n);
    }

    @Override
    public XGBoostModel<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance,
                                     int invocationCount) {
        XGBoostClassificationTrainer tribuo = new XGBoostClassificationTrainer(numTrees, copyParams(parameters));
        return tribuo.train(examples, runProvenance, invocationCount);
    }

    @Override
    public XGBoostModel<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "DenseXGBoostTrainer(" + super.toString() + ", earlyStopping=" + earlyStopping + ")";
    }
}

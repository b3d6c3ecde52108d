package dev.mlops.core.model.family;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.model.task.Task;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.IndependentRegressionTreeModel;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.common.tree.TreeModel;
import org.tribuo.ensemble.WeightedEnsembleModel;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.WeightedEnsembleModelProto;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bagged CART trees with feature subsampling, soft voting ({@link FullyWeightedVotingCombiner}, as scikit-learn
 * averages probabilities) or, for a regression, the mean of the trees ({@link AveragingCombiner}); {@code
 * numTrees} 100 (fewer on large many-class data, see {@link #FOREST_BYTES_BUDGET}), {@code
 * fractionFeaturesInSplit} sqrt (a regression: every feature, as scikit-learn's regressors), {@code maxDepth}
 * none, {@code minChildWeight} 2, {@code impurity} gini|entropy (mse|mae). The families differ in how a split
 * point is drawn.
 */
abstract class BaggedTrees extends Family {

    /**
     * A forest's default size is capped so its artifact stays under this many bytes ({@link #bytesPerTree}): 100
     * trees unless that would exceed it, never fewer than {@value #MIN_DEFAULT_TREES}. An explicit {@code
     * numTrees} is obeyed.
     */
    static final long FOREST_BYTES_BUDGET = 100L << 20;
    static final int MIN_DEFAULT_TREES = 5;

    /** The only combiners the forests use: soft voting (classification), the mean (regression). */
    static final Set<String> ALLOWED_COMBINERS = Set.of(FullyWeightedVotingCombiner.class.getName(),
            AveragingCombiner.class.getName());
    /** The only members of the forests: classification trees, regression trees. */
    static final Set<String> ALLOWED_MEMBERS = Set.of(TreeModel.class.getName(),
            IndependentRegressionTreeModel.class.getName());

    /** Bagged Tribuo CARTs: an inverted index of every feature per tree. */
    @Override
    public final boolean scalesToMillionsOfRows() {
        return false;
    }

    BaggedTrees(String id, String counterpart, List<Task<?>> tasks) {
        super(id, counterpart, true,
                Set.of("numTrees", "maxDepth", "minChildWeight", "fractionFeaturesInSplit", "impurity"), tasks);
    }

    /** Whether split points are drawn at random (extra trees) rather than searched (random forest). */
    abstract boolean randomSplits();

    /** The protobuf bytes of one fully grown tree of this family ({@link Cart#treeBytes} times its own factor). */
    abstract double bytesPerTree(Shape shape);

    /** The default number of trees on data of this shape (see {@link #FOREST_BYTES_BUDGET}). */
    int defaultTrees(Shape shape) {
        return (int) Math.max(MIN_DEFAULT_TREES, Math.min(100, Math.floor(FOREST_BYTES_BUDGET / bytesPerTree(shape))));
    }

    @Override
    final Trainer<Regressor> regressor(HyperParameters p, long seed, Shape shape) {
        int trees = p.positiveInt("numTrees", defaultTrees(shape));
        int depth = p.depth("maxDepth", Integer.MAX_VALUE);
        float minChild = (float) p.positive("minChildWeight", 2);
        boolean random = randomSplits();
        // Tribuo's random forest refuses a fraction of 1: just below it tries every feature too (extra trees take 1).
        float fraction = Math.min(random ? 1f : Math.nextDown(1f),
                p.featureFraction("fractionFeaturesInSplit", "1", shape.features()));
        CARTRegressionTrainer tree = new CARTRegressionTrainer(depth, minChild, 0.0f, fraction, random,
                Cart.regressionImpurity(p), seed);
        return random
                ? new ExtraTreesTrainer<>(tree, new AveragingCombiner(), trees, seed)
                : new RandomForestTrainer<>(tree, new AveragingCombiner(), trees, seed);
    }

    @Override
    final Trainer<Label> classifier(HyperParameters p, long seed, Shape shape) {
        int trees = p.positiveInt("numTrees", defaultTrees(shape));
        int depth = p.depth("maxDepth", Integer.MAX_VALUE);
        float minChild = (float) p.positive("minChildWeight", 2);
        float fraction = p.featureFraction("fractionFeaturesInSplit", "sqrt", shape.features());
        boolean random = randomSplits();
        CARTClassificationTrainer tree = new CARTClassificationTrainer(depth, minChild, 0.0f,
                random ? Math.min(1f, fraction) : fraction, random, Cart.impurity(p), seed);
        return random
                ? new ExtraTreesTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed)
                : new RandomForestTrainer<>(tree, new FullyWeightedVotingCombiner(), trees, seed);
    }

    /** Per tree 300 ns per row × log2(rows) × features tried per split; the trees' protobuf. */
    @Override
    public final Cost cost(Map<String, String> effective, Shape shape) {
        int trees = Integer.parseInt(effective.get("numTrees"));
        double tried = Math.max(1, Math.sqrt(shape.features()));
        return new Cost(trees * 300.0 * shape.rows() * log2(shape.rows()) * tried, trees * bytesPerTree(shape));
    }

    @Override
    public final Set<String> modelClasses() {
        return Set.of(WeightedEnsembleModel.class.getName());
    }

    /** An ensemble of trees only, with the soft-voting combiner. */
    @Override
    public final void checkModel(ModelProto proto) throws InvalidProtocolBufferException {
        WeightedEnsembleModelProto e = proto.getSerializedData().unpack(WeightedEnsembleModelProto.class);
        if (!ALLOWED_COMBINERS.contains(e.getCombiner().getClassName())) {
            throw new ModelIntegrityException("ensemble combiner \"" + e.getCombiner().getClassName()
                    + "\" is not allowed; allowed: " + ALLOWED_COMBINERS);
        }
        for (ModelProto member : e.getModelsList()) {
            if (!ALLOWED_MEMBERS.contains(member.getClassName())) {
                throw new ModelIntegrityException("ensemble member class \"" + member.getClassName()
                        + "\" is not allowed; an ensemble holds only " + ALLOWED_MEMBERS.stream().sorted().toList());
            }
        }
    }
}

package dev.mlops.core.model.family;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.IndependentRegressionTreeModel;
import org.tribuo.regression.rtree.impurity.MeanAbsoluteError;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.rtree.impurity.RegressorImpurity;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.Entropy;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.dtree.impurity.LabelImpurity;
import org.tribuo.common.tree.TreeModel;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code cart}: one CART tree ({@link CARTClassificationTrainer}, {@link CARTRegressionTrainer}); {@code maxDepth}
 * none, {@code minChildWeight} 5, {@code impurity} gini|entropy (classification) or mse|mae (regression). The
 * default search also tries a shallower tree ({@code maxDepth} 8).
 */
public final class Cart extends Family {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "cart";

    Cart() {
        super(ID, "decision_tree", true, Set.of("maxDepth", "minChildWeight", "impurity"), BOTH);
    }

    /** Tribuo's CART: an inverted index of every feature. */
    @Override
    public boolean scalesToMillionsOfRows() {
        return false;
    }

    @Override
    Trainer<Label> classifier(HyperParameters p, long seed, Shape shape) {
        return new CARTClassificationTrainer(p.depth("maxDepth", Integer.MAX_VALUE),
                (float) p.positive("minChildWeight", CARTClassificationTrainer.MIN_EXAMPLES), 0.0f, 1.0f, false,
                impurity(p), seed);
    }

    @Override
    Trainer<Regressor> regressor(HyperParameters p, long seed, Shape shape) {
        return new CARTRegressionTrainer(p.depth("maxDepth", Integer.MAX_VALUE),
                (float) p.positive("minChildWeight", CARTClassificationTrainer.MIN_EXAMPLES), 0.0f, 1.0f, false,
                regressionImpurity(p), seed);
    }

    @Override
    public Map<String, List<String>> defaultGrid() {
        return Map.of("maxDepth", List.of("none", "8"));
    }

    /** 300 ns per row × log2(rows) × feature; the tree's protobuf as {@link #treeBytes}. */
    @Override
    public Cost cost(Map<String, String> effective, Shape shape) {
        return new Cost(300.0 * shape.rows() * log2(shape.rows()) * shape.features(), treeBytes(shape));
    }

    /**
     * Tribuo writes every tree node as its own protobuf message, and every leaf with one score per class:
     * measured, a fully grown tree takes about 20 bytes × training rows × (classes + 4) (pima: 69 KB a tree,
     * letter: 5.8 MB). A regression tree (one output: {@code classes} 1) stores more per node: measured on the
     * diamonds sample, 1.37 MB a tree grown on 6,400 rows, 213 bytes a row; counted as 225 so that a forest sized
     * by it stays under its budget (at 210, 78 trees made 104,035 KiB, over the 102,400 of 100 MiB).
     */
    static double treeBytes(Shape shape) {
        return shape.classes() == 1 ? 225.0 * shape.rows() : 20.0 * shape.rows() * (shape.classes() + 4);
    }

    static LabelImpurity impurity(HyperParameters p) {
        return p.choice("impurity", "gini", Set.of("gini", "entropy")).equals("gini") ? new GiniIndex() : new Entropy();
    }

    /** A regression tree's impurity: mean squared error (scikit-learn's squared_error) or mean absolute error. */
    static RegressorImpurity regressionImpurity(HyperParameters p) {
        return p.choice("impurity", "mse", Set.of("mse", "mae")).equals("mse")
                ? new MeanSquaredError() : new MeanAbsoluteError();
    }

    /** A classification tree, or a regression tree (one per output dimension). */
    @Override
    public Set<String> modelClasses() {
        return Set.of(TreeModel.class.getName(), IndependentRegressionTreeModel.class.getName());
    }
}

package dev.mlops.core.model.family;

import org.tribuo.common.tree.RandomForestTrainer;

/** {@code random-forest}: bagged CART trees with feature subsampling ({@link RandomForestTrainer}); see {@link BaggedTrees}. */
public final class RandomForest extends BaggedTrees {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "random-forest";

    RandomForest() {
        super(ID, "random_forest", BOTH);
    }

    @Override
    boolean randomSplits() {
        return false;
    }

    @Override
    double bytesPerTree(Shape shape) {
        return Cart.treeBytes(shape);
    }
}

package dev.mlops.core.model.family;

import org.tribuo.common.tree.ExtraTreesTrainer;

/**
 * {@code extra-trees}: bagged trees with random split points ({@link ExtraTreesTrainer}); see {@link BaggedTrees}.
 * Its trees grow deeper: about 1.5 times a CART tree's bytes.
 */
public final class ExtraTrees extends BaggedTrees {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "extra-trees";

    ExtraTrees() {
        super(ID, "extra_trees");
    }

    @Override
    boolean randomSplits() {
        return true;
    }

    @Override
    double bytesPerTree(Shape shape) {
        return Cart.treeBytes(shape) * 1.5;
    }
}

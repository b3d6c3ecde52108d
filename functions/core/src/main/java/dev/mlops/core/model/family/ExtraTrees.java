package dev.mlops.core.model.family;

import dev.mlops.core.model.task.Classification;
import org.tribuo.common.tree.ExtraTreesTrainer;

import java.util.List;

/**
 * {@code extra-trees}: bagged trees with random split points ({@link ExtraTreesTrainer}); see {@link BaggedTrees}.
 * Its trees grow deeper: about 1.5 times a CART tree's bytes. Classification only: Tribuo 4.3.2's regression tree
 * with random split points ({@code RegressorTrainingNode.buildRandomTree}) calls {@code Random.nextInt(0)} when a
 * feature has a single value in a node, which one-hot columns always reach ("bound must be positive").
 */
public final class ExtraTrees extends BaggedTrees {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "extra-trees";

    ExtraTrees() {
        super(ID, "extra_trees", List.of(Classification.TASK));
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

package dev.mlops.core.model.family;

import dev.mlops.core.model.task.Classification;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.LabelObjective;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.math.optimisers.AdaGrad;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A linear model fitted by SGD ({@link LinearSGDTrainer}, AdaGrad), as Tribuo's {@code LogisticRegressionTrainer}
 * configures it but with a seed and epochs; {@code epochs} 50, {@code learningRate} 1.0, {@code minibatchSize} 1.
 * The families differ in their loss.
 */
abstract class LinearSgd extends Family {

    LinearSgd(String id, String counterpart, boolean probabilistic) {
        super(id, counterpart, probabilistic, Set.of("epochs", "learningRate", "minibatchSize"),
                List.of(Classification.TASK));
    }

    /** The loss it minimises. */
    abstract LabelObjective objective();

    @Override
    final Trainer<Label> classifier(HyperParameters p, long seed, Shape shape) {
        int epochs = p.positiveInt("epochs", 50);
        double rate = p.positive("learningRate", 1.0);
        int minibatch = p.positiveInt("minibatchSize", 1);
        return new LinearSGDTrainer(objective(), new AdaGrad(rate, 0.1), epochs, -1, minibatch, seed);
    }

    /** 50 ns per row × feature × class × epoch. */
    @Override
    public final Cost cost(Map<String, String> effective, Shape shape) {
        return new Cost(50.0 * shape.rows() * (shape.features() + 1) * shape.classes()
                * Integer.parseInt(effective.get("epochs")), 0);
    }

    @Override
    public final Set<String> modelClasses() {
        return Set.of(LinearSGDModel.class.getName());
    }
}

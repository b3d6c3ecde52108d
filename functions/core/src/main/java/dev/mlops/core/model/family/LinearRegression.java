package dev.mlops.core.model.family;

import dev.mlops.core.model.task.Regression;
import org.tribuo.Trainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code linear-regression}: least squares by SGD ({@link LinearSGDTrainer} with {@link SquaredLoss}, AdaGrad) on
 * the standardised features; {@code epochs} 50, {@code minibatchSize} 1, {@code learningRate} the standard
 * deviation of the label on the training rows (AdaGrad moves a weight by about the learning rate per step, and
 * the label is not standardised: a price in thousands needs weights in thousands). Regression only (its
 * scikit-learn counterpart is {@code Ridge}).
 */
public final class LinearRegression extends Family {

    /** Its name in configs, payloads and the registry. */
    public static final String ID = "linear-regression";

    LinearRegression() {
        super(ID, "ridge", false, Set.of("epochs", "learningRate", "minibatchSize"), List.of(Regression.TASK));
    }

    @Override
    Trainer<Regressor> regressor(HyperParameters p, long seed, Shape shape) {
        int epochs = p.positiveInt("epochs", 50);
        double rate = p.positive("learningRate", shape.labelScale() > 0 ? shape.labelScale() : 1.0);
        int minibatch = p.positiveInt("minibatchSize", 1);
        return new LinearSGDTrainer(new SquaredLoss(), new AdaGrad(rate, 0.1), epochs, -1, minibatch, seed);
    }

    /** 50 ns per row × feature × epoch. */
    @Override
    public Cost cost(Map<String, String> effective, Shape shape) {
        return new Cost(50.0 * shape.rows() * (shape.features() + 1) * Integer.parseInt(effective.get("epochs")), 0);
    }

    @Override
    public Set<String> modelClasses() {
        return Set.of(LinearSGDModel.class.getName());
    }
}

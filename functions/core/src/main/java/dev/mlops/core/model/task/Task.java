package dev.mlops.core.model.task;

import dev.mlops.core.model.Prediction;
import org.tribuo.Output;
import org.tribuo.OutputFactory;

import java.util.List;

/**
 * A task type: what a label is and how predictions of it are judged. The task encodes a label cell as the
 * model's output, names the metrics candidates are selected and blessed on and which way each is better, and
 * computes them from true labels and predictions. Training, the registry's blessing and the drift check's live
 * quality ask the task, so a new task type (regression, say) is one subclass with its test and a fixture. Today
 * there is one, {@link Classification#TASK}, which the code names where it needs the task; a dataset's choice of
 * task (and the lookup by {@link #id()}) comes with the second.
 *
 * @param <T> the Tribuo output the models of this task predict
 */
public abstract class Task<T extends Output<T>> {

    /** Its name, e.g. {@code classification}. */
    public abstract String id();

    /** The Tribuo factory of its outputs. */
    public abstract OutputFactory<T> outputFactory();

    /** A label cell as the model learns it. */
    public abstract T output(String cell);

    /** A label cell as it is compared with predictions (classification: the trimmed class name). */
    public abstract String label(String cell);

    /** The metrics candidates may be selected and versions blessed on, the default first. */
    public abstract List<String> metrics();

    /** The metric used when a config names none. */
    public String defaultMetric() {
        return metrics().get(0);
    }

    /** Whether {@code metric} is one of {@link #metrics()}. */
    public boolean knows(String metric) {
        return metrics().contains(metric);
    }

    /** {@link #metrics()} as a sentence for error messages: {@code accuracy or macro_f1}. */
    public String metricNames() {
        List<String> m = metrics();
        return m.size() == 1 ? m.get(0)
                : String.join(", ", m.subList(0, m.size() - 1)) + " or " + m.get(m.size() - 1);
    }

    /** Whether a higher value of {@code metric} is better: the direction of selection and blessing. */
    public abstract boolean higherIsBetter(String metric);

    /**
     * Whether a challenger may replace the champion: no worse by more than {@code margin}, in the metric's
     * direction (a margin of 0 blesses ties, a negative one demands a clear win).
     */
    public final boolean blessed(String metric, double challenger, double champion, double margin) {
        return higherIsBetter(metric) ? challenger >= champion - margin : challenger <= champion + margin;
    }

    /** {@link #blessed}'s rule in words, for the blessing's reason. */
    public final String blessingRule(String metric) {
        return higherIsBetter(metric) ? "challenger >= champion - margin" : "challenger <= champion + margin";
    }

    /**
     * Every metric of the predictions against the true labels.
     *
     * @param truth         true labels ({@link #label(String)} of their cells)
     * @param predicted     predictions, same length
     * @param probabilistic whether the prediction scores are the model's probabilities
     * @return metrics with {@code trainRows} 0
     */
    public abstract Metrics evaluate(List<String> truth, List<Prediction> predicted, boolean probabilistic);
}

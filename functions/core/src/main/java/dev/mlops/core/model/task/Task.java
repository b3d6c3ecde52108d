package dev.mlops.core.model.task;

import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.Prediction;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.OutputFactory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A task type: what a label is and how predictions of it are judged. The task encodes a label cell as the
 * model's output, turns the model's outputs into {@link Prediction}s, names the metrics candidates are selected
 * and blessed on and which way each is better, and computes them from true labels and predictions. Training,
 * serving, the registry's blessing and the drift check's live quality ask the task, so a task type is one
 * subclass ({@link Classification}, {@link Regression}) with its test and a fixture. A dataset's task is recorded
 * in its schema ({@code task}), and every signature says the task of its model.
 *
 * @param <T> the Tribuo output the models of this task predict
 */
public abstract class Task<T extends Output<T>> {

    /** Every task, by {@link #id()}: a holder, so no subclass is made while this class loads. */
    private static final class All {
        static final List<Task<?>> TASKS = List.of(Classification.TASK, Regression.TASK);
    }

    /** Every task type. */
    public static List<Task<?>> all() {
        return All.TASKS;
    }

    /** The task of a name, or empty. */
    public static Optional<Task<?>> find(String id) {
        return all().stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /**
     * The task of a stored name; null (a document from before tasks were named) is a classification.
     *
     * @throws IllegalArgumentException naming the tasks there are
     */
    public static Task<?> of(String id) {
        if (id == null) {
            return Classification.TASK;
        }
        return find(id).orElseThrow(() -> new IllegalArgumentException("unknown task \"" + id + "\"; expected "
                + String.join(" or ", ids())));
    }

    /** Every task's name. */
    public static List<String> ids() {
        return all().stream().map(Task::id).toList();
    }

    /** Every metric any task knows (a config's metric is checked against its dataset's task once that is known). */
    public static Set<String> allMetrics() {
        Set<String> all = new LinkedHashSet<>();
        all().forEach(t -> all.addAll(t.metrics()));
        return all;
    }

    /** Its name, e.g. {@code classification}. */
    public abstract String id();

    /** The Tribuo class of its outputs. */
    public abstract Class<T> outputClass();

    /** The Tribuo factory of its outputs. */
    public abstract OutputFactory<T> outputFactory();

    /** A label cell as the model learns it. */
    public abstract T output(String cell);

    /** A label cell as it is compared with predictions (classification: the trimmed class name). */
    public abstract String label(String cell);

    /**
     * One of the model's predictions as the API answers it, or null when its numbers are not finite (a value too
     * large for the model).
     *
     * @param probabilistic whether the model's scores are probabilities ({@link #probabilistic(Model)})
     */
    public abstract Prediction prediction(org.tribuo.Prediction<T> p, ModelSignature signature, boolean probabilistic);

    /** Whether the model's scores are probabilities (log-loss is computed only then). */
    public abstract boolean probabilistic(Model<T> model);

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

    /**
     * A config's metric checked against this task: null when it is one of {@link #metrics()}, else why not.
     *
     * @param field the config field that names it, for the message
     */
    public String refusal(String field, String metric) {
        return knows(metric) ? null : field + ": \"" + metric + "\" is not a " + id() + " metric; expected "
                + metricNames();
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

    @Override
    public String toString() {
        return id();
    }
}

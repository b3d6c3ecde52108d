package dev.mlops.core.search;

import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.DecisionThreshold;
import dev.mlops.core.model.task.Task;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainingSettings;
import dev.mlops.core.train.TrainingConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a dataset's {@link TrainingSettings} into the run's candidates: one {@link CandidateSpec}
 * per combination of a family's hyper-parameter grid (or a seeded random draw from the grids), all
 * sharing the seed, the row partition and the selection metric, so they are compared on the same
 * validation rows by the same number.
 *
 * <p>The default grids ({@link Family#defaultGrid(Task)}) are small on purpose (8 candidates): every family once
 * at its defaults, plus a shallower CART and XGBoost. {@code auto} choices are resolved here, from the label counts
 * of the validated data: when the classes are {@link Classification#imbalanced imbalanced}, the selection metric
 * is macro-F1 and examples are weighted {@code balanced}, otherwise accuracy and no weights.
 */
public final class CandidateSearch {

    private CandidateSearch() {
    }

    /** What a pipeline candidate asks the trainer for. */
    static TrainingConfig config(CandidateSpec c) {
        return new TrainingConfig(c.algorithm(), c.seed(), c.split(), c.hyperParameters(), c.refit(), c.folds(),
                c.threshold());
    }

    /**
     * Expands the settings of a classification.
     *
     * @see #expand(TrainingSettings, Task, Map, long)
     */
    public static List<CandidateSpec> expand(TrainingSettings settings, Map<String, Long> labelCounts) {
        return expand(settings, Classification.TASK, labelCounts,
                labelCounts.values().stream().mapToLong(Long::longValue).sum());
    }

    /**
     * Expands the settings for a dataset's task: only the families with a trainer for the task, its metric.
     *
     * @param settings    the dataset's training settings
     * @param task        the dataset's task
     * @param labelCounts rows per class of the validated data (for a classification's {@code auto} choices; empty
     *                    for a regression)
     * @param rows        labelled rows of the validated data (whether to cross-validate; past {@link
     *                    TrainingSettings#TREES_UP_TO}, the default families leave out Tribuo's trees)
     * @return the candidates, in a stable order (families as listed, then grid order); the settings have checked
     *         that a grid fits the budget and that several candidates have validation rows to be compared on
     * @throws ContractException when no listed family has a trainer for the task, or the metric is not the task's
     */
    public static List<CandidateSpec> expand(TrainingSettings settings, Task<?> task, Map<String, Long> labelCounts,
                                             long rows) {
        boolean classification = task == Classification.TASK;
        boolean imbalanced = classification && Classification.imbalanced(labelCounts);
        String metric = !TrainingSettings.AUTO.equals(settings.metric()) ? settings.metric()
                : classification ? Classification.TASK.autoMetric(labelCounts) : task.defaultMetric();
        String refused = task.refusal("field \"training.metric\"", metric);
        if (refused != null) {
            throw new ContractException(refused);
        }
        String classWeight = TrainingSettings.AUTO.equals(settings.classWeight())
                ? (imbalanced ? "balanced" : "none") : settings.classWeight();
        SplitSpec split = new SplitSpec(SplitSpec.ROW_HASH, settings.seed(), settings.testFraction(),
                settings.validationFraction());
        int folds = settings.folds() != null ? settings.folds()
                : rows <= TrainingSettings.CROSS_VALIDATE_UP_TO ? TrainingSettings.AUTO_FOLDS : 0;
        boolean byDefault = settings.families().equals(Family.ids());
        List<Family> families = settings.families().stream().map(Family::require).filter(f -> f.supports(task))
                .filter(f -> !byDefault || rows <= TrainingSettings.TREES_UP_TO || f.scalesToMillionsOfRows())
                .toList();
        if (families.isEmpty()) {
            throw new ContractException("field \"training.families\": none of " + settings.families() + " has a "
                    + task.id() + " trainer; the " + task.id() + " families are " + Family.ids(task));
        }
        DecisionThreshold.Rule threshold = classification && labelCounts.size() == 2 ? settings.threshold() : null;

        List<List<Map<String, String>>> perFamily = new ArrayList<>();
        for (Family f : families) {
            Map<String, List<String>> grid = settings.grid(f, task);
            if (classification) {
                grid.putIfAbsent(Family.CLASS_WEIGHT, List.of(classWeight));
            }
            perFamily.add(product(grid));
        }
        List<CandidateSpec> out = new ArrayList<>();
        if (TrainingSettings.GRID.equals(settings.search())) {
            for (int i = 0; i < families.size(); i++) {
                for (Map<String, String> params : perFamily.get(i)) {
                    out.add(spec(families.get(i), settings, split, params, metric, folds, task, threshold));
                }
            }
        } else {
            // Families in turn, each drawing one of its combinations not drawn yet, until the budget is spent.
            Random rng = new Random(settings.seed());
            List<List<Map<String, String>>> left = new ArrayList<>();
            for (List<Map<String, String>> combos : perFamily) {
                List<Map<String, String>> shuffled = new ArrayList<>(combos);
                Collections.shuffle(shuffled, rng);
                left.add(shuffled);
            }
            boolean drew = true;
            while (out.size() < settings.budget() && drew) {
                drew = false;
                for (int i = 0; i < families.size() && out.size() < settings.budget(); i++) {
                    if (!left.get(i).isEmpty()) {
                        out.add(spec(families.get(i), settings, split, left.get(i).remove(0), metric, folds, task,
                                threshold));
                        drew = true;
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static CandidateSpec spec(Family f, TrainingSettings s, SplitSpec split, Map<String, String> params,
                                      String metric, int folds, Task<?> task, DecisionThreshold.Rule threshold) {
        return new CandidateSpec(f.id(), s.seed(), split, params, metric, s.refit(), folds, task.id(), threshold);
    }

    /** Every combination of the grid's values, in the grid's order (the first name varies slowest). */
    private static List<Map<String, String>> product(Map<String, List<String>> grid) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : grid.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}

package dev.mlops.core.pipeline;

import dev.mlops.core.errors.ContractException;
import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.DecisionThreshold;
import dev.mlops.core.model.task.Task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code training} section of a dataset's {@code config.json}: which families to try, with
 * which hyper-parameters, how to search, what to optimise, and how rows are split. Every field is
 * optional; absent fields take the defaults below. Expanded into the run's candidates by
 * {@link dev.mlops.core.search.CandidateSearch} when the pipeline starts.
 *
 * @param families           families to try, by name (default: all of {@link Family#ids()}); those without a
 *                           trainer for the dataset's task are left out of its runs
 * @param grids              per family, hyper-parameter name → values to try; replaces that family's default
 *                           values for the names it gives (other names keep the family's default grid)
 * @param search             {@code grid} (every combination, default) or {@code random} ({@code budget}
 *                           combinations drawn, families in turn)
 * @param budget             most candidates a run trains (default 24, at most {@value #MAX_BUDGET}); a grid
 *                           larger than the budget is refused, a random search draws this many
 * @param metric             what selection optimises on the validation rows: one of the task's metrics
 *                           ({@code accuracy}, {@code macro_f1}, {@code roc_auc}, {@code pr_auc}, {@code log_loss};
 *                           {@code rmse}, {@code mae}, {@code r2}) or {@code auto} (default: for a classification
 *                           macro_f1 when the classes are imbalanced, accuracy otherwise; for a regression rmse)
 * @param seed               seed of the trainers, the random search and the row partition (default 42)
 * @param testFraction       share of rows held out for the model card's score and the blessing (default 0.2)
 * @param validationFraction share of rows held out for selection (default 0.2)
 * @param refit              refit the candidates on training + validation rows (test rows stay out) after
 *                           selection scores are taken (default false)
 * @param classWeight        {@code none}, {@code balanced} or {@code auto} (default: balanced when the classes
 *                           are imbalanced); a grid may also search {@code classWeight}
 * @param folds              how selection scores are taken: 0 for the validation rows, 2 to 20 for k-fold
 *                           cross-validation over training + validation rows (test rows stay out; the shipped
 *                           model is then fitted on all of them); absent: {@value #AUTO_FOLDS}-fold when the
 *                           data has at most {@value #CROSS_VALIDATE_UP_TO} labelled rows (a validation
 *                           partition of a few dozen rows cannot tell candidates apart), validation rows above
 * @param threshold          how a binary classifier's decision threshold is tuned on the validation rows
 *                           ({@link DecisionThreshold.Rule}; default: the model's own decision)
 */
public record TrainingSettings(List<String> families, Map<String, Map<String, List<String>>> grids, String search,
                               Integer budget, String metric, Long seed, Double testFraction,
                               Double validationFraction, Boolean refit, String classWeight, Integer folds,
                               DecisionThreshold.Rule threshold) {

    /** Most candidates one run may train (state payloads stay far below 256 KB). */
    public static final int MAX_BUDGET = 64;
    public static final String GRID = "grid";
    public static final String RANDOM = "random";
    public static final String AUTO = "auto";
    /** Folds of the automatic cross-validation. */
    public static final int AUTO_FOLDS = 5;
    /** Up to this many labelled rows, selection cross-validates by default. */
    public static final int CROSS_VALIDATE_UP_TO = 5000;
    /**
     * Past this many labelled rows, the default families (none named) leave out those whose cost does not scale
     * to millions of rows ({@link dev.mlops.core.model.family.Family#scalesToMillionsOfRows()}: Tribuo's trees):
     * at 100,000 rows × 20 a random forest did not finish in 900 s (BENCHMARKS.md "Training scale"). Named
     * families are always tried.
     */
    public static final long TREES_UP_TO = 100_000;

    public TrainingSettings {
        families = families == null ? Family.ids() : List.copyOf(families);
        if (families.isEmpty()) {
            throw new ContractException("field \"training.families\": name at least one of " + Family.ids());
        }
        for (String f : families) {
            if (Family.of(f).isEmpty()) {
                throw new ContractException("field \"training.families\": unknown family \"" + f + "\"; expected "
                        + Family.ids());
            }
        }
        Map<String, Map<String, List<String>>> g = new LinkedHashMap<>();
        if (grids != null) {
            for (var e : grids.entrySet()) {
                Family family = Family.of(e.getKey()).orElseThrow(() -> new ContractException(
                        "field \"training.grids\": unknown family \"" + e.getKey() + "\"; expected " + Family.ids()));
                Map<String, List<String>> params = new LinkedHashMap<>();
                for (var p : e.getValue().entrySet()) {
                    String where = "training.grids." + e.getKey() + "." + p.getKey();
                    if (p.getValue() == null || p.getValue().isEmpty()) {
                        throw new ContractException("field \"" + where + "\": give at least one value");
                    }
                    for (String v : p.getValue()) {
                        try {
                            family.check(Map.of(p.getKey(), v));
                        } catch (IllegalArgumentException bad) {
                            throw new ContractException("field \"" + where + "\": " + bad.getMessage());
                        }
                    }
                    params.put(p.getKey(), List.copyOf(p.getValue()));
                }
                g.put(e.getKey(), params);
            }
        }
        grids = g;
        search = search == null ? GRID : search;
        if (!Set.of(GRID, RANDOM).contains(search)) {
            throw new ContractException("field \"training.search\": expected grid or random, got \"" + search + "\"");
        }
        budget = budget == null ? 24 : budget;
        if (budget < 1 || budget > MAX_BUDGET) {
            throw new ContractException("field \"training.budget\": must be between 1 and " + MAX_BUDGET + ", got "
                    + budget);
        }
        metric = metric == null ? AUTO : metric;
        if (!AUTO.equals(metric) && !Task.allMetrics().contains(metric)) {
            throw new ContractException("field \"training.metric\": expected auto or one of " + Task.allMetrics()
                    + ", got \"" + metric + "\"");
        }
        seed = seed == null ? 42L : seed;
        testFraction = testFraction == null ? 0.2 : testFraction;
        validationFraction = validationFraction == null ? 0.2 : validationFraction;
        if (!(testFraction > 0 && testFraction < 1 && validationFraction >= 0
                && testFraction + validationFraction < 1)) {
            throw new ContractException("field \"training.test_fraction\"/\"validation_fraction\": need 0 < test,"
                    + " 0 <= validation and test + validation < 1, got " + testFraction + " and " + validationFraction);
        }
        refit = refit != null && refit;
        if (GRID.equals(search)) {
            int total = gridSize(families, grids);
            if (total > budget) {
                throw new ContractException("field \"training.budget\": the grid has " + total
                        + " candidates, more than the budget of " + budget + "; raise the budget (at most "
                        + MAX_BUDGET + ") or use \"search\": \"random\"");
            }
        }
        if (validationFraction == 0 && (folds == null || folds == 0) && (RANDOM.equals(search) ? budget
                : gridSize(families, grids)) > 1) {
            throw new ContractException("field \"training.validation_fraction\": several candidates are compared on"
                    + " validation rows; give a validation_fraction above 0");
        }
        if (folds != null && folds != 0 && (folds < 2 || folds > 20)) {
            throw new ContractException("field \"training.folds\": 0 (validation rows) or 2 to 20, got " + folds);
        }
        classWeight = classWeight == null ? AUTO : classWeight;
        if (!Set.of(AUTO, "none", "balanced").contains(classWeight)) {
            throw new ContractException("field \"training.class_weight\": expected auto, none or balanced, got \""
                    + classWeight + "\"");
        }
    }

    /**
     * A family's grid in a search of {@code task}: the family's {@link Family#defaultGrid(Task) default values},
     * replaced name by name by the ones this config gives.
     */
    public Map<String, List<String>> grid(Family family, Task<?> task) {
        return grid(family, task, grids);
    }

    private static Map<String, List<String>> grid(Family family, Task<?> task,
                                                  Map<String, Map<String, List<String>>> grids) {
        Map<String, List<String>> grid = new LinkedHashMap<>(family.defaultGrid(task));
        grid.putAll(grids.getOrDefault(family.id(), Map.of()));
        return grid;
    }

    /** How many candidates a grid search of these families and grids trains, for the task with the most. */
    private static int gridSize(List<String> families, Map<String, Map<String, List<String>>> grids) {
        int most = 0;
        for (Task<?> task : Task.all()) {
            int total = 0;
            for (String id : families) {
                Family f = Family.require(id);
                if (f.supports(task)) {
                    total += grid(f, task, grids).values().stream().mapToInt(List::size).reduce(1, (a, b) -> a * b);
                }
            }
            most = Math.max(most, total);
        }
        return most;
    }

    /** The settings before thresholds were tuned. */
    public TrainingSettings(List<String> families, Map<String, Map<String, List<String>>> grids, String search,
                            Integer budget, String metric, Long seed, Double testFraction, Double validationFraction,
                            Boolean refit, String classWeight, Integer folds) {
        this(families, grids, search, budget, metric, seed, testFraction, validationFraction, refit, classWeight, folds,
                null);
    }

    /** Every default. */
    public static TrainingSettings defaults() {
        return new TrainingSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}

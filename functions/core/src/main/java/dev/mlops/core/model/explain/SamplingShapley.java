package dev.mlops.core.model.explain;

import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Model-agnostic contributions: Shapley values estimated by sampling permutations of the columns (Štrumbelj and
 * Kononenko, "Explaining prediction models and individual predictions with feature contributions", 2014),
 * against one baseline: every feature at 0 in the model's units, i.e. every numeric column at its training mean
 * and no category, which is also how the model treats a missing value. Along each permutation the columns are
 * switched from the baseline to the instance's values one at a time and each is credited with the change of the
 * target class's score; the credits are averaged over {@value #PERMUTATIONS} permutations. Along any permutation
 * the credits add up to score(instance) − score(baseline), so the estimates always add up exactly; each one's
 * sampling error shrinks as 1/√permutations. A column whose value is missing, or unknown to the model, gets 0.
 *
 * <p>Cost: {@value #PERMUTATIONS} × (columns with a value) + 2 evaluations of the model per instance, in one
 * batch. The permutations are seeded: the same instance gets the same answer.
 */
final class SamplingShapley {

    /** Permutations sampled per instance. */
    static final int PERMUTATIONS = 64;

    private static final long SEED = 17L;

    private final Model<Label> model;
    private final Columns columns;
    private final String output;

    /**
     * @param model   the model that takes encoded (standardised) examples
     * @param output  what its target score is ({@code probability} or {@code score})
     */
    SamplingShapley(Model<Label> model, Columns columns, String output) {
        this.model = model;
        this.columns = columns;
        this.output = output;
    }

    /**
     * @param encoded the instance as the model sees it (standardised)
     * @param target  the class whose score is explained
     */
    Explanation explain(Example<Label> encoded, String target) {
        ImmutableFeatureMap known = model.getFeatureIDMap();
        // The instance's known features, grouped by column; the baseline sets every known feature to 0.
        Map<String, List<Feature>> present = new LinkedHashMap<>();
        for (Feature f : encoded) {
            String column = columns.of(f.getName());
            if (column != null && known.get(f.getName()) != null) {
                present.computeIfAbsent(column, c -> new ArrayList<>()).add(f);
            }
        }
        List<String> players = new ArrayList<>(present.keySet());
        int d = players.size();
        List<Example<Label>> batch = new ArrayList<>(PERMUTATIONS * d + 2);
        batch.add(coalition(known, present, List.of()));
        batch.add(coalition(known, present, players));
        int[][] orders = new int[PERMUTATIONS][];
        SplittableRandom random = new SplittableRandom(SEED);
        for (int p = 0; p < PERMUTATIONS; p++) {
            int[] order = permutation(d, random);
            orders[p] = order;
            List<String> on = new ArrayList<>(d);
            // The last step of every permutation is the instance itself (batch[1]): not evaluated again.
            for (int step = 0; step < d - 1; step++) {
                on.add(players.get(order[step]));
                batch.add(coalition(known, present, on));
            }
        }
        double[] scores = new double[batch.size()];
        List<org.tribuo.Prediction<Label>> predictions = model.predict(batch);
        for (int i = 0; i < scores.length; i++) {
            Label l = predictions.get(i).getOutputScores().get(target);
            scores[i] = l == null ? 0.0 : l.getScore();
        }
        double base = scores[0];
        double value = scores[1];
        double[] credit = new double[d];
        int at = 2;
        for (int p = 0; p < PERMUTATIONS; p++) {
            double before = base;
            for (int step = 0; step < d; step++) {
                double after = step == d - 1 ? value : scores[at++];
                credit[orders[p][step]] += after - before;
                before = after;
            }
        }
        Map<String, Double> contributions = columns.zeros();
        for (int j = 0; j < d; j++) {
            contributions.put(players.get(j), credit[j] / PERMUTATIONS);
        }
        return new Explanation(Explainer.SAMPLING_SHAPLEY, output, target, base, value, contributions);
    }

    /** The instance's features of the columns switched on, 0 for every other known feature. */
    private static Example<Label> coalition(ImmutableFeatureMap known, Map<String, List<Feature>> present,
                                            List<String> on) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int id = 0; id < known.size(); id++) {
            values.put(known.get(id).getName(), 0.0);
        }
        for (String column : on) {
            for (Feature f : present.get(column)) {
                values.put(f.getName(), f.getValue());
            }
        }
        ArrayExample<Label> e = new ArrayExample<>(LabelFactory.UNKNOWN_LABEL);
        values.forEach((name, v) -> e.add(new Feature(name, v)));
        return e;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}

package dev.mlops.core.registry;

import dev.mlops.core.domain.Blessing;
import dev.mlops.core.domain.BlessingVerdict;
import dev.mlops.core.model.task.Task;
import dev.mlops.core.pipeline.BlessingPolicy;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.search.Selection;

import java.util.List;
import java.util.Locale;

/**
 * Decides which candidate of a run is best, and whether it may replace the champion. Every
 * verdict carries its reason, with the numbers and the rule that produced it.
 */
public final class BlessingRule {

    private BlessingRule() {
    }

    /**
     * The run's best candidate, among those that trained (skipped ones never win). Candidates are
     * compared on their validation rows, by the selection metric of the run's candidates (the
     * dataset's {@code training.metric}): the higher score wins, then the other validation metric,
     * then the lower index. Test rows play no part in the choice. Candidates without validation
     * scores (runs whose split has no validation rows) fall back to their test scores by the
     * policy's metric, as before validation existed.
     *
     * @throws IllegalArgumentException when no candidate trained (the reasons of the skipped ones say why)
     */
    public static TrainedCandidate best(List<TrainedCandidate> candidates, BlessingPolicy policy) {
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException("the run produced no trained candidate");
        }
        List<TrainedCandidate> trained = candidates.stream().filter(TrainedCandidate::trained).toList();
        if (trained.isEmpty()) {
            throw new IllegalArgumentException("the run produced no trained candidate: " + candidates.stream()
                    .map(c -> "candidate " + c.candidateIndex() + " (" + c.candidate().algorithm() + ") skipped: "
                            + c.reason()).distinct().reduce((a, b) -> a + "; " + b).orElse(""));
        }
        return trained.stream().min(Selection.order(trained, policy.metric())).orElseThrow();
    }

    /** No champion yet: the first version is blessed. */
    public static Blessing firstVersion(BlessingPolicy policy) {
        return new Blessing(BlessingVerdict.BLESSED, "no production version yet", policy.metric(), policy.margin(),
                null, null, null, null);
    }

    /** The champion could not be scored: never blessed, and the reason says why. */
    public static Blessing unscorable(BlessingPolicy policy, int championVersion, String why) {
        return new Blessing(BlessingVerdict.NOT_BLESSED, "champion v" + championVersion + " cannot be scored on this"
                + " dataset (" + why + "); nothing is promoted automatically", policy.metric(), policy.margin(),
                championVersion, null, null, null);
    }

    /**
     * Blessed when the challenger is no worse than the champion by more than the margin on the same rows, in the
     * metric's direction (the task's: challenger ≥ champion − margin for accuracy).
     */
    public static Blessing compared(BlessingPolicy policy, Task<?> task, int championVersion,
                                    ChampionComparison.Compared c) {
        boolean blessed = task.blessed(policy.metric(), c.challengerScore(), c.championScore(), policy.margin());
        String reason = String.format(Locale.ROOT,
                "%s %.4f vs champion v%d %.4f on %d rows neither model trained on; blessed when %s %.4f",
                policy.metric(), c.challengerScore(), championVersion, c.championScore(), c.rows(),
                task.blessingRule(policy.metric()), policy.margin());
        return new Blessing(blessed ? BlessingVerdict.BLESSED : BlessingVerdict.NOT_BLESSED, reason, policy.metric(),
                policy.margin(), championVersion, c.challengerScore(), c.championScore(), c.rows());
    }
}

package dev.mlops.core.registry;

import dev.mlops.core.pipeline.TrainedCandidate;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Decides which candidate of a run is best, and whether it may replace the champion. Both are
 * compared on the same test rows (the run's seeded split), so the comparison is fair.
 */
public final class Blessing {

    /** The outcome: blessed or not, with a sentence a person can read in the registry. */
    public record Decision(boolean blessed, String reason) {
    }

    private Blessing() {
    }

    /** Highest accuracy wins; macro-F1 breaks ties, then the lower candidate index (stable). */
    public static TrainedCandidate best(List<TrainedCandidate> candidates) {
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalArgumentException("the run produced no trained candidate");
        }
        return candidates.stream()
                .max(Comparator.comparingDouble(TrainedCandidate::accuracy)
                        .thenComparingDouble(TrainedCandidate::macroF1)
                        .thenComparing(Comparator.comparingInt(TrainedCandidate::candidateIndex).reversed()))
                .orElseThrow();
    }

    /**
     * A challenger is blessed when there is no champion, or when its accuracy on the test rows is at
     * least the champion's on the same rows.
     */
    public static Decision decide(double challengerAccuracy, Integer championVersion, Double championAccuracy) {
        if (championVersion == null) {
            return new Decision(true, "no production version yet");
        }
        String cmp = String.format(Locale.ROOT, "accuracy %.4f vs champion v%d %.4f on the same test rows",
                challengerAccuracy, championVersion, championAccuracy);
        return challengerAccuracy >= championAccuracy
                ? new Decision(true, cmp)
                : new Decision(false, cmp);
    }
}

package dev.mlops.core.pipeline;

/**
 * Output of {@code promote}.
 *
 * @param model             model name
 * @param version           the version the run asked to promote
 * @param outcome           what happened
 * @param productionVersion production after the step
 * @param reason            a sentence for people
 */
public record Promotion(String model, int version, Outcome outcome, Integer productionVersion, String reason) {

    /** What a promotion did. */
    public enum Outcome {
        /** Production now points at the version. */
        PROMOTED,
        /** Production already pointed at it (a retried step). */
        ALREADY_PROMOTED,
        /** Production moved away from the champion the version was blessed against: nothing was changed. */
        CHAMPION_MOVED,
        /** The approval policy is manual: the version waits for a person's approval; nothing was changed. */
        PENDING_APPROVAL,
        /**
         * The rollout strategy is shadow or canary: the version went live as a rollout's challenger beside production,
         * which did not move.
         */
        ROLLOUT_STARTED
    }

    public boolean promoted() {
        return outcome == Outcome.PROMOTED || outcome == Outcome.ALREADY_PROMOTED;
    }
}

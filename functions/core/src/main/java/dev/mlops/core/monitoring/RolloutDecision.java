package dev.mlops.core.monitoring;

import dev.mlops.core.domain.RolloutEvidence;

/**
 * What a drift check decided about the model's rollout, in its report ({@code drift.json}, the drift page).
 *
 * @param challenger the version being rolled out
 * @param production the production version it is compared with
 * @param strategy   {@code shadow} or {@code canary}
 * @param share      its share of requests when the check read it
 * @param decision   {@code ABORT}, {@code PROMOTE}, {@code STEP_UP} or {@code CONTINUE} ({@link RolloutRule})
 * @param reason     why, with the numbers
 * @param outcome    what the check did about it, or why nothing was changed (another change came first)
 * @param evidence   the evidence it decided on
 */
public record RolloutDecision(int challenger, int production, String strategy, double share, String decision,
                              String reason, String outcome, RolloutEvidence evidence) {
}

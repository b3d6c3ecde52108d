package dev.mlops.core.monitoring;

import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RolloutEvidence;
import dev.mlops.core.pipeline.RolloutPolicy;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What a check does with a rollout, from its evidence and the policy it started with, in this order:
 * <ol>
 *   <li><b>ABORT</b> when production moved away from the version the challenger is compared with;</li>
 *   <li><b>ABORT</b> (guardrail) when the challenger fails too often: the lower end of its error rate's interval is
 *       above {@code guardrail.max_error_rate};</li>
 *   <li><b>ABORT</b> (guardrail) when, on at least {@code guardrail.min_labels} labelled rows, it is clearly worse
 *       than production: the upper end of its gain's interval is below {@code -guardrail.max_drop};</li>
 *   <li><b>STEP_UP</b> (a canary with steps left) or <b>PROMOTE</b> when the evidence holds: at least {@code
 *       min_requests} requests compared, {@code min_labels} labelled rows, {@code step_minutes} at this step, and
 *       the lower end of its gain's interval at least {@code -margin};</li>
 *   <li><b>CONTINUE</b> otherwise (the reason says what is missing).</li>
 * </ol>
 */
final class RolloutRule {

    static final String ABORT = "ABORT";
    static final String PROMOTE = "PROMOTE";
    static final String STEP_UP = "STEP_UP";
    static final String CONTINUE = "CONTINUE";

    /** A decision and why, with the numbers. */
    record Decision(String action, String reason) {
    }

    private RolloutRule() {
    }

    static Decision decide(Rollout r, RolloutEvidence e, Integer production, Instant now) {
        RolloutPolicy policy = r.policy();
        RolloutPolicy.Guardrail guard = policy.guardrail();
        if (production == null || production != r.production()) {
            return new Decision(ABORT, "production is now " + (production == null ? "none" : "v" + production)
                    + ", not v" + r.production() + " the challenger was compared with");
        }
        if (e.errorRate() != null && e.errorRate().low() > guard.maxErrorRate()) {
            return new Decision(ABORT, String.format(Locale.ROOT, "guardrail: the challenger failed %d of %d requests,"
                    + " error rate %s above max_error_rate %.3f", e.challengerErrors(), e.challengerRequests(),
                    e.errorRate().describe(), guard.maxErrorRate()));
        }
        if (e.gain() != null && e.labelled() >= guard.minLabels() && e.gain().high() < -guard.maxDrop()) {
            return new Decision(ABORT, String.format(Locale.ROOT, "guardrail: on %d labelled rows the challenger's %s"
                    + " is %s against production's %s; gain %s is below -max_drop %.3f", e.labelled(), e.metric(),
                    e.challengerScore().describe(), e.productionScore().describe(), e.gain().describe(),
                    guard.maxDrop()));
        }
        StringBuilder missing = new StringBuilder();
        if (e.compared() < policy.minRequests()) {
            missing.append(String.format(Locale.ROOT, "; %d rows compared of min_requests %d", e.compared(),
                    policy.minRequests()));
        }
        if (e.labelled() < policy.minLabels()) {
            missing.append(String.format(Locale.ROOT, "; %d labelled of min_labels %d", e.labelled(),
                    policy.minLabels()));
        }
        Duration atStep = r.atStep(now);
        if (atStep.toMinutes() < policy.stepMinutes()) {
            missing.append(String.format(Locale.ROOT, "; %d of step_minutes %d at this step", atStep.toMinutes(),
                    policy.stepMinutes()));
        }
        if (e.gain() != null && e.gain().low() < -policy.margin()) {
            missing.append(String.format(Locale.ROOT, "; %s gain %s reaches below -margin %.3f", e.metric(),
                    e.gain().describe(), policy.margin()));
        }
        if (!missing.isEmpty()) {
            return new Decision(CONTINUE, "evidence not yet enough" + missing);
        }
        String holds = String.format(Locale.ROOT, "evidence holds: %d rows compared, agreement %s, %d labelled",
                e.compared(), e.agreement() == null ? "n/a" : e.agreement().describe(), e.labelled())
                + (e.gain() == null ? "" : ", " + e.metric() + " gain " + e.gain().describe());
        return r.hasNextStep() ? new Decision(STEP_UP, holds + "; next step " + Rollout.percent(
                policy.share(r.step() + 1))) : new Decision(PROMOTE, holds);
    }
}

package dev.mlops.core.monitoring;

import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RolloutEvidence;
import dev.mlops.core.drift.DriftHtml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The drift page's rollout section: the decision, what was done, and the evidence with its intervals. */
final class RolloutEvidenceHtml {

    private RolloutEvidenceHtml() {
    }

    static DriftHtml.Section section(RolloutDecision d) {
        RolloutEvidence e = d.evidence();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"rollout", d.strategy() + " v" + d.challenger() + " beside production v"
                + d.production() + " at " + Rollout.percent(d.share())});
        rows.add(new String[] {"decision", d.reason()});
        rows.add(new String[] {"done", d.outcome()});
        rows.add(new String[] {"window", "captures since " + e.windowStart() + " up to " + e.windowEnd()});
        rows.add(new String[] {"requests", String.format(Locale.ROOT, "%,d by production alone, %,d with the"
                + " challenger (%,d failed)", e.productionRequests(), e.challengerRequests(), e.challengerErrors())});
        rows.add(new String[] {"challenger error rate", describe(e.errorRate())});
        rows.add(new String[] {"agreement", describe(e.agreement()) + String.format(Locale.ROOT,
                " on %,d rows both answered", e.compared())});
        rows.add(new String[] {"prediction drift (Jensen-Shannon)", describe(e.predictionDrift())});
        rows.add(new String[] {"challenger " + e.metric(), describe(e.challengerScore())
                + String.format(Locale.ROOT, " on %,d labelled rows", e.labelled())});
        rows.add(new String[] {"production " + e.metric(), describe(e.productionScore())});
        rows.add(new String[] {"gain (challenger - production)", describe(e.gain())});
        return new DriftHtml.Section("Rollout", d.decision(), rows);
    }

    private static String describe(RolloutEvidence.Estimate estimate) {
        return estimate == null ? "no data" : estimate.describe();
    }
}

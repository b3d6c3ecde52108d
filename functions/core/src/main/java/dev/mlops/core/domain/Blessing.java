package dev.mlops.core.domain;

import java.util.Objects;

/**
 * The verdict on a challenger, always with its reason.
 *
 * @param verdict         blessed or not
 * @param reason          a sentence a person can read in the registry
 * @param metric          the metric compared ({@code accuracy} or {@code macro_f1})
 * @param margin          the tie margin: blessed when challenger ≥ champion − margin
 * @param championVersion the champion it was compared with (null when there was none)
 * @param challengerScore the challenger's score on the compared rows
 * @param championScore   the champion's score on the same rows (null when not scored)
 * @param comparedRows    rows neither model trained on, on which both were scored
 */
public record Blessing(BlessingVerdict verdict, String reason, String metric, double margin, Integer championVersion,
                       Double challengerScore, Double championScore, Integer comparedRows) {

    public Blessing {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(reason, "reason");
    }

    public boolean blessed() {
        return verdict == BlessingVerdict.BLESSED;
    }
}

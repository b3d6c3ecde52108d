package dev.mlops.core.drift;

/** What a drift check (or one of its columns) concluded. */
public enum Verdict {
    /** The distribution changed: significant after the correction, and larger than the effect threshold. */
    DRIFTED,
    /** No change that is both significant and large enough. */
    NO_DRIFT,
    /** Too few current rows (or values of the column) to say: below {@link DriftConfig#minRows()}. */
    NOT_ENOUGH_DATA
}

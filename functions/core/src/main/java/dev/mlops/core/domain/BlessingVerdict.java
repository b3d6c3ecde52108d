package dev.mlops.core.domain;

/** Whether a registered version may replace the champion. */
public enum BlessingVerdict {
    BLESSED,
    NOT_BLESSED
}

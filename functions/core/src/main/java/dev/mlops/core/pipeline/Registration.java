package dev.mlops.core.pipeline;

/** Output of {@code register}: the new version and whether it beat the champion on the same test rows. */
public record Registration(String model, int version, boolean blessed, String reason, double accuracy,
                           Integer championVersion, Double championAccuracy) {
}

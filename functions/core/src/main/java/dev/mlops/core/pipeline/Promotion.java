package dev.mlops.core.pipeline;

/** Output of {@code promote}: which version now serves as production, and which it replaced. */
public record Promotion(String model, String alias, int version, Integer previousVersion) {
}

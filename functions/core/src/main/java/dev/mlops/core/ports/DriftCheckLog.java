package dev.mlops.core.ports;

import dev.mlops.core.domain.DriftCheck;

import java.util.Optional;

/** Drift check summaries. */
public interface DriftCheckLog {

    void record(DriftCheck check);

    /** The most recent check of a model. */
    Optional<DriftCheck> latest(String model);
}

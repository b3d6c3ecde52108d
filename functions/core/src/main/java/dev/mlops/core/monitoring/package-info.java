/**
 * Drift checks' workflow ({@link dev.mlops.core.monitoring.DriftService}): which window of captured
 * traffic is compared with which baseline, the report and the summary; and the decision on a model's
 * rollout from its live evidence ({@link dev.mlops.core.monitoring.RolloutCheck}).
 */
package dev.mlops.core.monitoring;

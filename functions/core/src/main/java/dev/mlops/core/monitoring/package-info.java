/**
 * Drift checks' workflow ({@link dev.mlops.core.monitoring.DriftService}): which window of captured
 * traffic is compared with which baseline, the report and the summary.
 */
package dev.mlops.core.monitoring;

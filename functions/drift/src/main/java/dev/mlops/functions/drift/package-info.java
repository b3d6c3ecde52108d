/**
 * Scheduled drift checks' handler: an EventBridge event handed to the core's
 * {@link dev.mlops.core.monitoring.DriftService}.
 */
package dev.mlops.functions.drift;

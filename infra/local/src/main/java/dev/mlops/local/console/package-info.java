/**
 * {@code ./mlops ui}: a read-only web console over a stack's registry, runs, datasets and drift checks. Every page
 * is answered by the core's own read paths ({@code RegistryQueries}, {@code Leaderboard}, {@code
 * MonitoringTimeline}) over the same adapters the functions use, on the local stack or a deployed one; charts are
 * drawn in the browser by Chart.js, copied into the jar at build time.
 */
package dev.mlops.local.console;

/**
 * The registry's workflow ({@link dev.mlops.core.registry.RegistryService}): register a run's best
 * candidate, judge it against the champion on rows neither trained on ({@link
 * dev.mlops.core.registry.ChampionComparison}, {@link dev.mlops.core.registry.BlessingRule}),
 * promote it with a compare-and-set, record failures, retry failed runs.
 */
package dev.mlops.core.registry;

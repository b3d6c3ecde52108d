/**
 * The registry's workflow ({@link dev.mlops.core.registry.RegistryService}): register a run's best
 * candidate, judge it against the champion on rows neither trained on ({@link
 * dev.mlops.core.registry.ChampionComparison}, {@link dev.mlops.core.registry.BlessingRule}),
 * promote it with a compare-and-set, record failures, retry failed runs; and what a registered version says
 * about itself ({@link dev.mlops.core.registry.ModelCard}: {@code model-card.json} and {@code report.html}).
 */
package dev.mlops.core.registry;

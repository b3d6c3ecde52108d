/**
 * The registry's workflows. The pipeline's steps ({@link dev.mlops.core.registry.RegistryService}): register a
 * run's best candidate, judge it against the champion on rows neither trained on ({@link
 * dev.mlops.core.registry.ChampionComparison}, {@link dev.mlops.core.registry.BlessingRule}), promote it,
 * record failures, retry failed runs; runs whose execution ended outside the steps ({@link
 * dev.mlops.core.registry.RunReconciler}). People's requests ({@link dev.mlops.core.registry.RegistryRequest}):
 * questions ({@link dev.mlops.core.registry.RegistryQueries}, answered with {@link
 * dev.mlops.core.registry.RegistryViews}) apart from changes ({@link dev.mlops.core.registry.RegistryCommands},
 * answered with a {@link dev.mlops.core.registry.Change}). Production moves one way for all of them ({@link
 * dev.mlops.core.registry.Production#move}: compare-and-set, audit, announce). What a registered version says
 * about itself: {@link dev.mlops.core.registry.ModelCard} ({@code model-card.json} and {@code report.html}).
 */
package dev.mlops.core.registry;

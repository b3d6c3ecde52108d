/**
 * Why a model answers what it answers. Per prediction, {@link dev.mlops.core.model.explain.Explainer} gives
 * each feature's contribution to the predicted class's output, with the method named: exact for the linear
 * families ({@link dev.mlops.core.model.explain.LinearAttribution}), XGBoost's own TreeSHAP for boosted trees
 * ({@link dev.mlops.core.model.explain.XGBoostAttribution}), and sampled Shapley values for every other family
 * ({@link dev.mlops.core.model.explain.SamplingShapley}). Globally, {@link
 * dev.mlops.core.model.explain.PermutationImportance} ranks the features of any model on held-out rows.
 * Contributions are per column of the signature: a categorical column's one-hot features add up to one number.
 */
package dev.mlops.core.model.explain;

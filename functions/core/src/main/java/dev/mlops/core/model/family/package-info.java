/**
 * The model families, one class each: {@link dev.mlops.core.model.family.LogisticRegression}, {@link
 * dev.mlops.core.model.family.LinearSvm}, {@link dev.mlops.core.model.family.Cart}, {@link
 * dev.mlops.core.model.family.RandomForest}, {@link dev.mlops.core.model.family.ExtraTrees} and {@link
 * dev.mlops.core.model.family.XGBoost}. A {@link dev.mlops.core.model.family.Family} says how to configure its
 * Tribuo trainer, its default search grid, what a fit costs (the time guard), which model classes its
 * artifacts hold (the serving allow-list) and which {@link dev.mlops.core.model.family.NativeLibrary native
 * libraries} it needs. Training and serving both ask the family, so adding one touches its class (listed in
 * {@link dev.mlops.core.model.family.Family#all()}), its test and its fixture model.
 */
package dev.mlops.core.model.family;

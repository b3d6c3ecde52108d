/**
 * Trained models as portable artifacts: the {@link dev.mlops.core.model.ModelSignature} describing the input,
 * the {@link dev.mlops.core.model.ModelArtifact} holding Tribuo's protobuf bytes with their SHA-256, the single
 * {@link dev.mlops.core.model.FeatureEncoder} shared by training and prediction, and the
 * {@link dev.mlops.core.model.Predictor} that safely loads an artifact (integrity check, class allow-list, no
 * Java deserialisation) and validates prediction requests.
 */
package dev.mlops.core.model;

/**
 * Trained models as portable artifacts: the {@link dev.mlops.core.model.ModelSignature} describing the input,
 * the {@link dev.mlops.core.model.ModelArtifact} holding Tribuo's protobuf bytes with their SHA-256 and the
 * {@link dev.mlops.core.model.ArtifactRef} that records where they are, the single
 * {@link dev.mlops.core.model.FeatureEncoder} shared by training and prediction, the
 * {@link dev.mlops.core.model.Predictor} that safely loads an artifact (integrity check, class allow-list, no
 * Java deserialisation) and validates prediction requests, and the {@link dev.mlops.core.model.ArtifactLoader}
 * that reads a recorded artifact from wherever its bytes are.
 */
package dev.mlops.core.model;

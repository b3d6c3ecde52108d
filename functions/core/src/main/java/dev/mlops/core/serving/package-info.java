/**
 * The model API's workflow ({@link dev.mlops.core.serving.ServingService}): which version serves
 * (and what happens when the registry or S3 cannot be reached), request validation
 * ({@link dev.mlops.core.serving.PredictRequest}: TensorFlow Serving's row and columnar forms), the
 * answer to every mistake, the read-only views ({@link dev.mlops.core.serving.ModelCatalogView}),
 * and capture of sampled traffic off the request path ({@link dev.mlops.core.serving.BackgroundCapture}).
 */
package dev.mlops.core.serving;

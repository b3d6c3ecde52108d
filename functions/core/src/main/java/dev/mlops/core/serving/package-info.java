/**
 * The model API's workflow, split by idea: {@link dev.mlops.core.serving.ServedModels}, the models this instance
 * serves (which version production points at, staleness when the registry or S3 wobble, loading, warm-up, and
 * the registry's {@link dev.mlops.core.serving.ProductionChanged} announcement); {@link
 * dev.mlops.core.serving.ServingService}, the HTTP mapping (routes, verbs, status codes; every answer, errors
 * included, a {@link dev.mlops.core.serving.ServingService.Reply}); the bodies ({@link
 * dev.mlops.core.serving.PredictRequest}: TensorFlow Serving's row and columnar forms, {@link
 * dev.mlops.core.serving.Feedback}: ground truth); the read-only views ({@link
 * dev.mlops.core.serving.ModelCatalogView}); and capture of sampled traffic off the request path ({@link
 * dev.mlops.core.serving.BackgroundCapture}).
 */
package dev.mlops.core.serving;

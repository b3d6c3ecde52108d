/**
 * The core's ports implemented with the AWS SDK v2: {@link dev.mlops.aws.S3ObjectStore}, the
 * DynamoDB catalog, registry, run log and drift check log, {@link dev.mlops.aws.StepFunctionsLauncher}
 * and {@link dev.mlops.aws.PowertoolsMetrics}; {@link dev.mlops.aws.Adapters} builds them from the
 * function's environment, {@link dev.mlops.aws.AwsClients} the clients. SDK failures a retry can fix
 * become {@link dev.mlops.core.errors.TransientException}s that name the service and endpoint. The
 * handlers use only these classes to reach AWS; the local runtime reaches the same code through the
 * emulators.
 */
package dev.mlops.aws;

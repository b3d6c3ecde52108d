/**
 * Adapters from the pure core to AWS: S3 object store, DynamoDB stores, the Step Functions starter,
 * configuration from the function environment and the SDK client factory. The handlers use only
 * these classes to reach AWS; the local runtime reaches the same code through emulators.
 */
package dev.mlops.aws;

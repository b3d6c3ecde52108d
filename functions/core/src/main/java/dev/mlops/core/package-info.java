/**
 * The mlops domain, in pure Java: names and storage layout shared by every function, and the
 * sub-packages for data validation, training, model packaging, drift statistics and the
 * payloads the pipeline's steps exchange. Nothing here knows about Lambda, S3 or DynamoDB.
 */
package dev.mlops.core;

/**
 * Starts and stops the open-source emulators the local stack runs on, as child processes:
 * Adobe S3Mock (S3), dynalite (DynamoDB) and the Step Functions facade over aws-local-stepfunctions.
 * Every child watches its stdin, so none outlives this JVM even when it is killed.
 */
package dev.mlops.local.emulators;

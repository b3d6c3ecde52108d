/**
 * Scheduled drift checks: captured traffic since the last check against each production model's
 * training baseline; a report to S3, a summary to DynamoDB, metrics to CloudWatch.
 */
package dev.mlops.functions.drift;

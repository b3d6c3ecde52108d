/**
 * The Docker-free Lambda side of the local stack: functions hosted in-process with their template
 * environment, the Lambda Invoke API the state machine calls, the HTTP API routes, S3 notifications
 * and schedules, all wired from template.yaml.
 */
package dev.mlops.local.runtime;

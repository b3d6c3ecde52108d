/**
 * Reads template.yaml, the project's single source of truth: CloudFormation's short-form tags,
 * the intrinsic functions the template uses, and the local model of the stack (bucket, tables,
 * functions with their environment, routes, schedules, S3 triggers, state machine).
 */
package dev.mlops.local.template;

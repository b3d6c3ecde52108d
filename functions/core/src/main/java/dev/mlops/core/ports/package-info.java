/**
 * The ports: what the workflow services need from the outside world, as the project's own
 * interfaces. The AWS adapters ({@code functions/aws}) implement them with the SDK; the tests
 * implement them in memory and run the same contract tests against both.
 *
 * <pre>
 *   handlers (functions/*) ──► services (core: ingest, registry, serving, monitoring) ──► ports (this package)
 *          │                                                                              ▲
 *          └──────────► adapters (functions/aws: S3, DynamoDB, Step Functions, EMF) ──────┘ implement
 * </pre>
 */
package dev.mlops.core.ports;

/**
 * The payloads the pipeline's steps exchange through the state machine. They carry S3 pointers,
 * never data, so they stay far below the 256 KB state payload limit. Serialised with
 * {@link dev.mlops.core.Json} (snake_case), which is what the ASL definition refers to.
 */
package dev.mlops.core.pipeline;

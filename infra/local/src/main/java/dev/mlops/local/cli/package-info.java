/** The {@code ./mlops} command line: demo, local up/down, upload, invoke, predict, drift check. */
package dev.mlops.local.cli;

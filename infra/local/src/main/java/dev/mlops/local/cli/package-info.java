/**
 * The {@code ./mlops} command line, on picocli: {@link dev.mlops.local.cli.MlopsCommand} lists one class
 * per command group (demo, local up/down, upload, invoke, predict, drift check); {@link dev.mlops.local.cli.Main}
 * wires them to stdout, stderr and the exit codes (0 ok, 1 failed, 2 usage error).
 */
package dev.mlops.local.cli;

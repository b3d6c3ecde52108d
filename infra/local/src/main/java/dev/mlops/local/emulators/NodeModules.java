package dev.mlops.local.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the pinned npm packages with {@code npm ci} when they are missing or older than the lock file. npm's
 * own output is kept in a file and shown only when it fails: the command line's stderr is for progress, and
 * npm must not open it itself (opening {@code /dev/stderr} truncates a {@code 2>file} and leaves NUL bytes).
 */
public final class NodeModules {

    private NodeModules() {
    }

    public static synchronized void ensureInstalled(Path nodeDir) throws IOException {
        Path lock = nodeDir.resolve("package-lock.json");
        Path installed = nodeDir.resolve("node_modules/.package-lock.json");
        if (Files.exists(installed) && Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) >= 0) {
            return;
        }
        System.err.println("[local] installing the emulators' npm packages (npm ci) in " + nodeDir);
        Path output = Files.createTempFile("mlops-npm-ci", ".log");
        try {
            Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"))
                    .directory(nodeDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            try {
                if (!npm.waitFor(10, TimeUnit.MINUTES)) {
                    npm.destroyForcibly();
                    throw new IOException("npm ci did not finish in 10 minutes in " + nodeDir + ": "
                            + Files.readString(output).strip());
                }
                if (npm.exitValue() != 0) {
                    throw new IOException("npm ci failed in " + nodeDir + " (exit " + npm.exitValue() + "): "
                            + Files.readString(output).strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                npm.destroyForcibly();
                throw new IOException("interrupted during npm ci", e);
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }
}

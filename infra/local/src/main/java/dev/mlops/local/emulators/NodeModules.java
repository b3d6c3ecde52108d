package dev.mlops.local.emulators;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Installs the pinned npm packages with {@code npm ci} when they are missing or older than the lock file. */
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
        Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"))
                .directory(nodeDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.to(new java.io.File("/dev/stderr")))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IOException("npm ci failed in " + nodeDir + " (exit " + npm.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            npm.destroyForcibly();
            throw new IOException("interrupted during npm ci", e);
        }
    }
}

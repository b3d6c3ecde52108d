package dev.mlops.local;

import java.nio.file.Path;

/** The repository the tests run in (set by the build as the system property {@code mlops.root}). */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        return Path.of(System.getProperty("mlops.root", "../..")).toAbsolutePath().normalize();
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }
}

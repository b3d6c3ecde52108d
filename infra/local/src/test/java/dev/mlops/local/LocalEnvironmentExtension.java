package dev.mlops.local;

import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Starts the local environment (emulators + functions, as {@code ./mlops local up} does) once per
 * test run, in a fresh data folder, and stops it when the run ends. Test classes take a
 * {@link LocalEnvironment} parameter to use it.
 */
public final class LocalEnvironmentExtension implements ParameterResolver {

    private static final class Shared implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final Path home;
        final LocalEnvironment environment;

        Shared() throws IOException {
            this.home = Files.createTempDirectory("mlops-it-");
            this.environment = LocalEnvironment.start(Repo.root(), home);
        }

        @Override
        public void close() throws IOException {
            environment.close();
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == LocalEnvironment.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Shared.class, k -> {
                    try {
                        return new Shared();
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot start the local environment: " + e.getMessage(), e);
                    }
                }, Shared.class).environment;
    }
}

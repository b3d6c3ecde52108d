package dev.mlops.local;

import dev.mlops.local.emulators.Emulators;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Assumptions;
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
 * {@link LocalEnvironment} parameter to use it. Classes marked {@link OnMoto} get a second one whose S3 and
 * DynamoDB are moto's server; where moto is not installed for python3 they are skipped, saying so.
 */
public final class LocalEnvironmentExtension implements ParameterResolver {

    private static final class Shared implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final Path home;
        final LocalEnvironment environment;

        Shared(Emulators.Backend backend) throws IOException {
            this.home = Files.createTempDirectory("mlops-it-");
            this.environment = LocalEnvironment.start(Repo.root(), home,
                    LocalEnvironment.Options.defaults(Repo.root()).withBackend(backend));
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
        Emulators.Backend backend = onMoto(context) ? Emulators.Backend.MOTO : Emulators.Backend.EMULATORS;
        if (backend == Emulators.Backend.MOTO) {
            Assumptions.assumeTrue(motoInstalled(), "moto's server is not installed for " + Emulators.python()
                    + " (python3 -m pip install 'moto[server]'): the tests on the moto backend are skipped");
        }
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(backend, k -> {
                    try {
                        return new Shared(backend);
                    } catch (IOException e) {
                        throw new IllegalStateException("cannot start the local environment: " + e.getMessage(), e);
                    }
                }, Shared.class).environment;
    }

    /** Whether the test's class, or a class it is nested in (the contracts' @Nested classes), is {@link OnMoto}. */
    private static boolean onMoto(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            if (c.getTestClass().map(t -> t.isAnnotationPresent(OnMoto.class)).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    private static boolean motoInstalled() {
        try {
            Process p = new ProcessBuilder(Emulators.python(), "-c", "import moto.server")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}

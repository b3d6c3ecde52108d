package dev.mlops.aws;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionEnvironmentTest {

    @Test
    void inherited_shouldCarryTheBoundEnvironmentToAnotherThread() throws Exception {
        // GIVEN work prepared while a function's environment is bound
        Supplier<String> work = FunctionEnvironment.with(Map.of("MODELS_TABLE", "models-local"),
                () -> FunctionEnvironment.inherited(() -> FunctionEnvironment.get("MODELS_TABLE")));
        // WHEN it runs on another thread
        String seen = CompletableFuture.supplyAsync(work, r -> new Thread(r).start()).get();
        // THEN it sees the same variables
        assertThat(seen).isEqualTo("models-local");
    }
}

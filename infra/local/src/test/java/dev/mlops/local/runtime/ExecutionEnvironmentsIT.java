package dev.mlops.local.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each function runs in execution environments of its own processes, held to its template's limits: reused warm,
 * one per concurrent invocation, a timeout ends the environment with Lambda's own error, memory over MemorySize
 * kills it, and the function's variables (and nothing of the runtime's own environment) are what it sees.
 */
class ExecutionEnvironmentsIT {

    private static final String PROBE = EnvironmentProbe.class.getName() + "::handleRequest";

    @TempDir
    Path logs;
    private final List<FunctionHost> hosts = new ArrayList<>();
    private FunctionOutput output;

    @BeforeEach
    void openLog() throws Exception {
        output = FunctionOutput.open(logs.resolve("functions.log"));
    }

    @AfterEach
    void stop() {
        hosts.forEach(FunctionHost::close);
        hosts.forEach(FunctionHost::killRemaining);
        output.close();
    }

    private FunctionHost host(String handler, int timeoutSeconds, int memoryMb, Map<String, String> variables) {
        StackModel.Function f = new StackModel.Function("ProbeFunction", "mlops-local-ProbeFunction", handler,
                variables, timeoutSeconds, memoryMb, "java21");
        FunctionHost host = new FunctionHost(f, variables, new FaultInjection(), output);
        hosts.add(host);
        return host;
    }

    private static JsonNode answer(FunctionHost.Result result) throws Exception {
        assertThat(result.failed()).as(() -> String.valueOf(result.error())).isFalse();
        return Json.MAPPER.readTree(result.payload());
    }

    private static byte[] event(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void consecutiveInvocations_shouldReuseOneWarmEnvironment_inAProcessOfItsOwn() throws Exception {
        FunctionHost host = host(PROBE, 30, 512, Map.of());
        JsonNode first = answer(host.invoke(event("{}")));
        JsonNode second = answer(host.invoke(event("{}")));
        assertThat(second.path("pid").asLong()).isEqualTo(first.path("pid").asLong())
                .isNotEqualTo(ProcessHandle.current().pid());
        assertThat(second.path("invocation").asInt()).isEqualTo(2);
        assertThat(host.coldStarts()).isEqualTo(1);
    }

    @Test
    void concurrentInvocations_shouldEachGetAnEnvironment() throws Exception {
        FunctionHost host = host(PROBE, 30, 512, Map.of());
        answer(host.invoke(event("{}")));
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<FunctionHost.Result>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return host.invoke(event("{\"sleep_ms\": 1500}"));
            }));
        }
        go.countDown();
        List<Long> pids = new ArrayList<>();
        for (var call : calls) {
            pids.add(answer(call.get()).path("pid").asLong());
        }
        assertThat(pids).doesNotHaveDuplicates();
        assertThat(host.coldStarts()).isEqualTo(2);
    }

    @Test
    void anInvocationPastItsTimeout_shouldFailWithLambdasMessage_andTheNextOneGetAFreshEnvironment() throws Exception {
        FunctionHost host = host(PROBE, 2, 512, Map.of());
        long pid = answer(host.invoke(event("{}"))).path("pid").asLong();
        FunctionHost.Result late = host.invoke(event("{\"sleep_ms\": 60000}"));
        assertThat(late.failed()).isTrue();
        assertThat(late.error().errorType()).as("no type: Step Functions sees Lambda.Unknown").isNull();
        assertThat(late.error().errorMessage()).matches(".* Task timed out after 2\\.00 seconds");
        assertThat(late.error().payload()).containsOnlyKeys("errorMessage");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        JsonNode next = answer(host.invoke(event("{}")));
        assertThat(next.path("pid").asLong()).isNotEqualTo(pid);
        assertThat(next.path("invocation").asInt()).as("a fresh environment: its handler constructed again").isEqualTo(1);
    }

    @Test
    void theHeap_shouldBeBoundByMemorySize_andAnOutOfMemoryErrorEndTheEnvironment() throws Exception {
        FunctionHost host = host(PROBE, 60, 256, Map.of());
        JsonNode limits = answer(host.invoke(event("{}")));
        assertThat(limits.path("memory_limit_mb").asInt()).isEqualTo(256);
        assertThat(limits.path("max_heap_mb").asInt()).isBetween(150, 256);
        assertThat(limits.path("processors").asInt()).isEqualTo(1);
        FunctionHost.Result hungry = host.invoke(event("{\"heap_mb\": 400}"));
        assertThat(hungry.failed()).isTrue();
        assertThat(hungry.error().summary()).satisfiesAnyOf(
                s -> assertThat(s).startsWith("java.lang.OutOfMemoryError"),
                s -> assertThat(s).contains("Runtime exited with error: signal: killed"));
        assertThat(answer(host.invoke(event("{}"))).path("invocation").asInt()).isEqualTo(1);
    }

    @Test
    void nativeMemoryPastMemorySize_shouldKillTheEnvironment_asLambdaReportsIt() throws Exception {
        FunctionHost host = host(PROBE, 60, 256, Map.of());
        FunctionHost.Result hungry = host.invoke(event("{\"native_mb\": 600, \"sleep_ms\": 5000}"));
        assertThat(hungry.failed()).isTrue();
        assertThat(hungry.error().errorType()).isNull();
        assertThat(hungry.error().errorMessage()).matches("RequestId: .* Error: Runtime exited with error: signal: killed");
    }

    @Test
    void theFunctionsVariables_shouldBeItsWholeEnvironment() throws Exception {
        FunctionHost host = host(PROBE, 30, 512, Map.of("MODELS_TABLE", "models-local"));
        assertThat(answer(host.invoke(event("{\"variable\": \"MODELS_TABLE\"}"))).path("value").asText())
                .isEqualTo("models-local");
        assertThat(answer(host.invoke(event("{\"variable\": \"AWS_LAMBDA_FUNCTION_MEMORY_SIZE\"}"))).path("value")
                .asText()).isEqualTo("512");
        assertThat(answer(host.invoke(event("{\"variable\": \"_HANDLER\"}"))).path("value").asText()).isEqualTo(PROBE);
        assertThat(System.getenv("HOME")).isNotNull();
        assertThat(answer(host.invoke(event("{\"variable\": \"HOME\"}"))).path("value").asText())
                .as("the runtime's own environment does not leak in").isEqualTo("null");
    }

    @Test
    void aHandlerThatCannotBeConstructed_shouldFailEachInvocationWithItsError() {
        FunctionHost host = host(BrokenInit.class.getName() + "::handleRequest", 30, 512, Map.of());
        FunctionHost.Result result = host.invoke(event("{}"));
        assertThat(result.failed()).isTrue();
        assertThat(result.error().errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(result.error().errorMessage()).contains("NEEDED is not set");
    }

    @Test
    void anErrorOfTheHandler_shouldBeReportedWithItsType_andTheEnvironmentStayWarm() throws Exception {
        FunctionHost host = host(PROBE, 30, 512, Map.of());
        FunctionHost.Result failed = host.invoke(event("{\"fail\": \"bad input\"}"));
        assertThat(failed.error().errorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(failed.error().errorMessage()).isEqualTo("bad input");
        assertThat(answer(host.invoke(event("{}"))).path("invocation").asInt()).isEqualTo(2);
        assertThat(host.coldStarts()).isEqualTo(1);
    }

    @Test
    void whatEnvironmentsPrint_shouldBeInTheOneFunctionsLog_lineByLineWhole() throws Exception {
        // GIVEN a function with two environments at once
        FunctionHost host = host(PROBE, 30, 512, Map.of());
        String longLine = "x".repeat(20_000);
        List<CompletableFuture<FunctionHost.Result>> calls = new ArrayList<>();

        // WHEN both print lines (one longer than the copier keeps) while they run side by side
        for (int i = 0; i < 2; i++) {
            String say = i == 0 ? "{\"message\":\"from one\"}" : longLine;
            calls.add(CompletableFuture.supplyAsync(() -> host.invoke(event(
                    "{\"say\": " + Json.MAPPER.valueToTree(say) + ", \"sleep_ms\": 500}"))));
        }
        for (var call : calls) {
            answer(call.get());
        }

        // THEN the stack's one log has each, whole or cut at the copier's limit, and nothing else
        host.close();
        host.killRemaining();
        List<String> lines = Files.readAllLines(logs.resolve("functions.log"));
        assertThat(lines).contains("{\"message\":\"from one\"}", "x".repeat(16 * 1024)).hasSize(2);
    }
}

package dev.mlops.local;

import dev.mlops.aws.DynamoDriftCheckLog;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.local.runtime.LocalEnvironment;
import dev.mlops.local.runtime.LocalScheduler;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The template's schedules fire by themselves: with the drift schedule (rate(1 hour)) sped up 1800 times, a
 * model in production gets its drift checks every two seconds without anyone invoking the function.
 */
class SchedulesIT {

    @Test
    void theDriftSchedule_shouldRunChecksByItself() throws Exception {
        Path home = Files.createTempDirectory("mlops-schedules-");
        try (LocalEnvironment env = LocalEnvironment.start(Repo.root(), home,
                LocalEnvironment.Options.defaults(Repo.root()).withScheduleSpeedup(1800))) {
            // GIVEN the drift schedule as the template writes it, and when it fires next
            LocalScheduler.NextFiring next = env.schedules().nextFirings().stream()
                    .filter(n -> n.function().equals("DriftCheckFunction")).findFirst().orElseThrow();
            assertThat(next.schedule().expression()).isEqualTo(env.model().parameterDefault("DriftSchedule").orElseThrow());
            assertThat(next.at()).isBefore(Instant.now().plusSeconds(3));
            // AND a model in production
            StackPorts stack = new StackPorts(env);
            stack.store().putJson(Layout.config("sched-it"), Map.of("training", Map.of("families",
                    List.of("logistic-regression"))));
            byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
            stack.put("incoming/sched-it/iris.csv", iris, Map.of());
            assertThat(stack.awaitRun("sched-it", Sha256.hex(iris)).status()).isEqualTo(RunStatus.SUCCEEDED);

            // WHEN nobody does anything but wait
            DynamoDriftCheckLog checks = new DynamoDriftCheckLog(env.clients().dynamoDb(),
                    env.model().tableName("DriftChecksTable"));
            List<DriftCheck> seen = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> checks.history("sched-it", 10), h -> h.size() >= 2);

            // THEN the schedule ran the checks (no traffic yet: not enough data), each one after the last
            assertThat(seen).allSatisfy(c -> assertThat(c.verdict()).isEqualTo("NOT_ENOUGH_DATA"));
            assertThat(Files.readString(home.resolve("logs/events/schedules.log")))
                    .contains("DriftCheckFunction " + next.schedule().expression() + " delivered");
        } finally {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

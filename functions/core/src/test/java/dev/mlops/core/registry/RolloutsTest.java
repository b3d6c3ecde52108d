package dev.mlops.core.registry;

import dev.mlops.core.domain.Blessing;
import dev.mlops.core.domain.BlessingVerdict;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Regression;
import dev.mlops.core.pipeline.RolloutPolicy;
import dev.mlops.core.ports.contract.Fixtures;
import dev.mlops.core.ports.memory.InMemoryModelRegistry;
import dev.mlops.core.ports.memory.MutableClock;
import dev.mlops.core.ports.memory.RecordingRegistryEvents;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a rollout may start beside production. */
class RolloutsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final InMemoryModelRegistry registry = new InMemoryModelRegistry(clock);
    private final RecordingRegistryEvents events = new RecordingRegistryEvents();
    private final Rollouts rollouts = new Rollouts(registry, events, clock);
    private final RolloutPolicy canary = new RolloutPolicy(RolloutPolicy.CANARY, 0.5, List.of(0.1, 0.25, 1.0), 30,
            150, 40, Classification.MACRO_F1, 0.01, new RolloutPolicy.Guardrail(0.02, 0.03, 25));

    private ModelVersion challengerBlessedBy(String metric) {
        ModelVersion v1 = registry.register(Fixtures.version("m", "run-1", null));
        registry.moveAlias("m", "production", v1.version(), null);
        ModelVersion drafted = Fixtures.version("m", "run-2", v1.version());
        Blessing b = drafted.blessing();
        return registry.register(new ModelVersion(drafted.model(), drafted.version(), drafted.createdAt(),
                drafted.lineage(), drafted.artifact(), drafted.training(),
                new Blessing(BlessingVerdict.BLESSED, b.reason(), metric, b.margin(), b.championVersion(),
                        b.challengerScore(), b.championScore(), b.comparedRows()),
                drafted.approval(), drafted.tags()));
    }

    @Test
    void aClassificationChallenger_shouldStartItsRollout() {
        ModelVersion v2 = challengerBlessedBy(Classification.ACCURACY);

        Rollouts.Result result = rollouts.start(v2, canary, 1, "run-2", "blessed", false);

        assertThat(result).isInstanceOf(Rollouts.Changed.class);
        assertThat(registry.rollout("m")).isPresent();
    }

    @Test
    void aRegressionChallenger_shouldBeRefusedWithWhy_andNothingStarted() {
        // The evidence compares predicted labels; a regression answers values, so its rollout would decide on nothing
        ModelVersion v2 = challengerBlessedBy(Regression.RMSE);

        Rollouts.Result result = rollouts.start(v2, canary, 1, "run-2", "blessed", false);

        assertThat(result).isInstanceOf(Rollouts.Refused.class);
        assertThat(((Rollouts.Refused) result).reason()).contains("regression model (blessed by rmse)")
                .contains("strategy direct");
        assertThat(registry.rollout("m")).isEmpty();
        assertThat(registry.auditTrail("m")).isEmpty();
        assertThat(events.published()).isEmpty();
    }
}

package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** People's rollout commands: the same compare-and-set, audit entries and events as the check's decisions. */
class RolloutCommandsTest {

    private final PipelineHarness p = new PipelineHarness();
    private final String[] iris = Datasets.read("iris").strip().split("\n");

    @BeforeEach
    void productionAndAChallenger() {
        p.runToEnd(p.upload("iris", Datasets.read("iris")).runId());
        p.store.putJson(Layout.config("iris"), Map.of("training", PipelineHarness.ONE_CANDIDATE.get("training"),
                "blessing", Map.of("margin", -0.5)));
        p.runToEnd(p.upload("iris", "v2.csv", String.join("\n", List.of(iris).subList(0, iris.length - 10)) + "\n",
                Map.of()).runId());
        p.events.clear();
    }

    private Change start(boolean force) {
        return p.commands.run(new RegistryCommand.StartRollout("iris", 2, "shadow", null, null, "cli:ann",
                force ? "shadow it" : null, force));
    }

    @Test
    void startingANotBlessedVersion_shouldBeRefused_unlessForcedWithAReason() {
        // WHEN / THEN
        assertThat(start(false).outcome()).isEqualTo(Change.Outcome.REFUSED);
        assertThat(start(false).reason()).contains("NOT_BLESSED");
        Change forced = start(true);
        assertThat(forced.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(forced.forced()).isTrue();
        assertThat(p.registry.rollout("iris").orElseThrow().reason()).startsWith("FORCED: shadow it");
        // AND a second rollout waits for the first to end
        assertThat(p.commands.run(new RegistryCommand.StartRollout("iris", 1, "canary", null, null, "cli:ann", "x",
                true)).outcome()).isEqualTo(Change.Outcome.REFUSED);
    }

    @Test
    void promote_shouldMoveProductionThroughItsOneWay_endTheRollout_andAnnounceBoth() {
        // GIVEN a shadow rollout of v2
        start(true);
        // WHEN a person promotes it
        Change promoted = p.commands.run(new RegistryCommand.PromoteRollout("iris", 2, "cli:bob", "looks right"));
        // THEN production is v2, the rollout PROMOTED, audited as a promotion and announced
        assertThat(promoted.outcome()).as(promoted.reason()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(p.registry.alias("iris", "production")).contains(2);
        Rollout ended = p.registry.rollout("iris").orElseThrow();
        assertThat(ended.status()).isEqualTo(Rollout.Status.PROMOTED);
        assertThat(ended.endedBy()).isEqualTo("cli:bob");
        assertThat(p.registry.auditTrail("iris").get(p.registry.auditTrail("iris").size() - 1).action())
                .isEqualTo(AuditAction.PROMOTE.id());
        assertThat(p.events.detailTypes()).containsSubsequence("Model Rollout Started", "Model Promoted",
                "Model Rollout Promoted");
        // AND there is nothing left to abort
        assertThat(p.commands.run(new RegistryCommand.AbortRollout("iris", null, "cli:bob", null)).outcome())
                .isEqualTo(Change.Outcome.REFUSED);
    }

    @Test
    void promote_afterProductionMoved_shouldBeAConflict_thatAbortsTheRollout() {
        // GIVEN a shadow rollout of v2 beside v1, then production moved outside the rollout
        start(true);
        p.registry.moveAlias("iris", "production", 2, 1);
        // WHEN the rollout is promoted
        Change promoted = p.commands.run(new RegistryCommand.PromoteRollout("iris", null, "cli:bob", null));
        // THEN nothing was promoted over the production it was not compared with: the rollout is aborted
        assertThat(promoted.outcome()).isEqualTo(Change.Outcome.CONFLICT);
        assertThat(p.registry.rollout("iris").orElseThrow().status()).isEqualTo(Rollout.Status.ABORTED);
    }

    @Test
    void show_shouldAnswerTheRolloutAndWhetherItIsUnderWay() {
        // GIVEN
        start(true);
        // WHEN
        RegistryViews.RolloutView view = (RegistryViews.RolloutView) p.queries.answer(
                new RegistryQuery.ShowRollout("iris"));
        // THEN
        assertThat(view.active()).isTrue();
        assertThat(view.productionVersion()).isEqualTo(1);
        assertThat(view.rollout().challenger()).isEqualTo(2);
        assertThat(view.rollout().strategy()).isEqualTo("shadow");
    }
}

package dev.mlops.local.console;

import dev.mlops.core.domain.Rollout;
import dev.mlops.core.pipeline.RolloutPolicy;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A model page's rollout line: what serves beside production, and how the last rollout ended. */
class ModelPagesTest {

    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    private static Rollout canary() {
        return Rollout.start("iris", 3, 2, RolloutPolicy.defaults().withStrategy(RolloutPolicy.CANARY)
                .withSteps(List.of(0.1, 0.5, 1.0)), T, "cli:ana", "try v3", null);
    }

    @Test
    void noRollout_shouldSayProductionServesEverything() {
        assertThat(ModelPages.rollout(null)).isEqualTo("none: the production alias serves every request");
    }

    @Test
    void aCanaryUnderWay_shouldGiveItsShareAndItsLastCheck() {
        assertThat(ModelPages.rollout(canary())).contains("canary v3 beside production v2 at 10 % of requests "
                + "(step 1 of 3)", "no check yet");
        Rollout checked = canary().checked(new Rollout.Check("c1", T.plusSeconds(3600), "CONTINUE",
                "agreement 0.97 < 0.98 <b>", "drift/iris/c1/drift.json", null));
        assertThat(ModelPages.rollout(checked)).contains("CONTINUE", "agreement 0.97 &lt; 0.98 &lt;b&gt;")
                .doesNotContain("<b>");
    }

    @Test
    void anEndedRollout_shouldSayHowAndWhy() {
        Rollout aborted = canary().ended(Rollout.Status.ABORTED, T.plusSeconds(7200), "drift-check",
                "live accuracy dropped 0.05 below production's");
        assertThat(ModelPages.rollout(aborted)).startsWith("none under way; the last, canary v3, ")
                .contains("ABORTED", "drift-check", "live accuracy dropped 0.05 below production&#39;s");
    }
}

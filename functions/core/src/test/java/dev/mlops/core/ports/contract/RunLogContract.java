package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunEnding;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.ports.RunLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link RunLog} promises. */
public abstract class RunLogContract {

    protected abstract RunLog runs();

    @Test
    void start_shouldRecordOnce_withItsRequest() {
        // GIVEN
        Run run = Fixtures.run(Fixtures.unique("run"), "m");
        // WHEN
        boolean first = runs().start(run);
        boolean again = runs().start(run);
        // THEN
        assertThat(first).isTrue();
        assertThat(again).isFalse();
        assertThat(runs().find(run.runId())).contains(run);
    }

    @Test
    void end_shouldEndARunningRunOnce_andNeverRewriteAFinishedOne() {
        // GIVEN a started run
        Run run = Fixtures.run(Fixtures.unique("run"), "m");
        runs().start(run);
        // WHEN it ends, then something tries to end it again
        boolean ended = runs().end(run.runId(), RunEnding.promoted(3));
        boolean rewritten = runs().end(run.runId(), RunEnding.failed("Boom", "fake cause"));
        // THEN the first ending stays
        assertThat(ended).isTrue();
        assertThat(rewritten).isFalse();
        Run stored = runs().find(run.runId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(stored.version()).isEqualTo(3);
        assertThat(stored.productionVersion()).isEqualTo(3);
        assertThat(stored.error()).isNull();
        assertThat(stored.endedAt()).isNotNull();
        assertThat(stored.request()).isEqualTo(run.request());
    }

    @Test
    void end_shouldNotCreateAPhantomRun() {
        // GIVEN no run
        String id = Fixtures.unique("ghost");
        // WHEN
        boolean ended = runs().end(id, RunEnding.failed("Boom", "cause"));
        // THEN
        assertThat(ended).isFalse();
        assertThat(runs().find(id)).isEmpty();
    }

    @Test
    void running_shouldListTheRunningRunsOnly() {
        // GIVEN one running run and one ended
        Run running = Fixtures.run(Fixtures.unique("run"), "m");
        Run ended = Fixtures.run(Fixtures.unique("run"), "m");
        runs().start(running);
        runs().start(ended);
        runs().end(ended.runId(), RunEnding.failed("Boom", "cause"));
        // WHEN
        java.util.List<Run> listed = runs().running();
        // THEN
        assertThat(listed).extracting(Run::runId).contains(running.runId()).doesNotContain(ended.runId());
        assertThat(listed).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.RUNNING));
        assertThat(listed).filteredOn(r -> r.runId().equals(running.runId())).singleElement().isEqualTo(running);
    }

    @Test
    void recent_shouldListNewestFirst_perDatasetOrAll() {
        // GIVEN three runs of two datasets, started one after the other
        String a = Fixtures.unique("ds");
        String b = Fixtures.unique("ds");
        Run first = Fixtures.run(Fixtures.unique("run"), "m", a, java.time.Instant.parse("2026-01-01T00:00:01Z"));
        Run second = Fixtures.run(Fixtures.unique("run"), "m", b, java.time.Instant.parse("2026-01-01T00:00:02Z"));
        Run third = Fixtures.run(Fixtures.unique("run"), "m", a, java.time.Instant.parse("2026-01-01T00:00:03Z"));
        runs().start(first);
        runs().start(second);
        runs().start(third);
        // WHEN / THEN
        assertThat(runs().recent(a, 10)).extracting(Run::runId).containsExactly(third.runId(), first.runId());
        assertThat(runs().recent(a, 1)).extracting(Run::runId).containsExactly(third.runId());
        assertThat(runs().recent(null, 1000)).extracting(Run::runId)
                .containsSubsequence(third.runId(), second.runId(), first.runId());
        assertThat(runs().recent(Fixtures.unique("none"), 5)).isEmpty();
    }
}

package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.BatchJob;
import dev.mlops.core.ports.BatchJobs;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link BatchJobs} must do. */
public abstract class BatchJobsContract {

    protected abstract BatchJobs jobs();

    @Test
    void aJob_shouldBeFoundAsLastRecorded_andListedNewestFirst_perModelOrAll() {
        // GIVEN two jobs of one model and one of another, the first recorded twice (running, then done)
        String model = Fixtures.unique("bm");
        String other = Fixtures.unique("bo");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        BatchJob running = new BatchJob(model, "j1", BatchJob.RUNNING, 3, "batch/" + model + "/j1.csv", null, null, 4,
                0, 0, t0, null, null);
        jobs().record(running);
        jobs().record(new BatchJob(model, "j1", BatchJob.SUCCEEDED, 3, running.input(), "out.csv", "summary.json", 4,
                1_000_000, 7, t0, t0.plusSeconds(60), null));
        jobs().record(new BatchJob(model, "j2", BatchJob.FAILED, 3, "in", null, null, 0, 0, 0, t0.plusSeconds(5),
                t0.plusSeconds(6), "no production version"));
        jobs().record(new BatchJob(other, "j1", BatchJob.RUNNING, 1, "in", null, null, 1, 0, 0, t0, null, null));
        // WHEN / THEN
        assertThat(jobs().find(model, "j1")).hasValueSatisfying(j -> {
            assertThat(j.status()).isEqualTo(BatchJob.SUCCEEDED);
            assertThat(j.rows()).isEqualTo(1_000_000);
            assertThat(j.errors()).isEqualTo(7);
            assertThat(j.finishedAt()).isEqualTo(t0.plusSeconds(60));
        });
        assertThat(jobs().find(model, "nope")).isEmpty();
        assertThat(jobs().list(model, 10)).extracting(BatchJob::job).containsExactly("j2", "j1");
        assertThat(jobs().list(model, 1)).extracting(BatchJob::job).containsExactly("j2");
        assertThat(jobs().list(null, 100)).extracting(BatchJob::model).contains(model, other);
        assertThat(jobs().find(model, "j2").orElseThrow().reason()).isEqualTo("no production version");
    }
}

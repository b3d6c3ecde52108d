package dev.mlops.core.registry;

import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.RegistryTask;
import dev.mlops.core.ports.contract.Fixtures;
import dev.mlops.core.ports.PipelineLauncher.ExecutionStatus;
import dev.mlops.core.registry.RunReconciler.ExecutionEnded;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunReconcilerTest {

    private final PipelineHarness p = new PipelineHarness();
    private final RunReconciler reconciler = new RunReconciler(p.runs, p.launcher, p.registry, p.clock);

    private String runningRun(String dataset) {
        IngestionService.Outcome outcome = p.upload(dataset, Datasets.read(dataset));
        assertThat(p.runs.find(outcome.runId()).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        return outcome.runId();
    }

    @Test
    void aStoppedExecution_shouldEndItsRunAborted_withTheCauseItWasStoppedWith_andBeRetryable() {
        // GIVEN a run whose execution was stopped; the status change event carries no error, DescribeExecution does
        String runId = runningRun("iris");
        p.launcher.end(runId, ExecutionStatus.ABORTED, "Operator", "stopped by hand: wrong data");
        // WHEN the event arrives
        RunReconciler.Reconciled result = reconciler.executionEnded(new ExecutionEnded(runId,
                p.launcher.executionIdFor(runId), ExecutionStatus.ABORTED, null, null));
        // THEN the run ends ABORTED with the execution's error and cause, audited once, and a retry starts
        assertThat(result.ended()).isTrue();
        Run run = p.runs.find(runId).orElseThrow();
        assertThat(run.status()).isEqualTo(RunStatus.ABORTED);
        assertThat(run.error()).isEqualTo("Operator");
        assertThat(run.cause()).isEqualTo("stopped by hand: wrong data");
        assertThat(run.reason()).contains("ABORTED").contains("./mlops runs retry " + runId);
        assertThat(run.endedAt()).isNotNull();
        assertThat(p.registry.auditTrail("iris")).extracting(AuditEntry::action).containsExactly("run_aborted");
        RegistryService.RetryStarted retry = p.registryService.retry(new RegistryTask.RetryRun(runId));
        assertThat(retry.newRunId()).isEqualTo(runId + "-r2");
    }

    @Test
    void aTimedOutOrKilledExecution_shouldEndItsRunWithThatStatusAndCause() {
        // GIVEN two runs: one over the state machine's timeout, one whose runtime was killed
        String timedOut = runningRun("iris");
        String killed = runningRun("wine");
        // WHEN
        reconciler.executionEnded(new ExecutionEnded(timedOut, null, ExecutionStatus.TIMED_OUT, "States.Timeout",
                "ran longer than 3600 s"));
        reconciler.executionEnded(new ExecutionEnded(killed, null, ExecutionStatus.FAILED, "States.Runtime",
                "local runtime restarted while the execution was running"));
        // THEN
        assertThat(p.runs.find(timedOut).orElseThrow()).satisfies(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.TIMED_OUT);
            assertThat(r.error()).isEqualTo("States.Timeout");
        });
        assertThat(p.runs.find(killed).orElseThrow()).satisfies(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.cause()).isEqualTo("local runtime restarted while the execution was running");
            assertThat(r.status().retryable()).isTrue();
        });
    }

    @Test
    void anEventForAnEndedRunOrAnotherExecution_shouldChangeNothing() {
        // GIVEN a run the pipeline ended SUCCEEDED
        String done = runningRun("iris");
        p.runToEnd(done);
        String other = runningRun("wine");
        // WHEN a replayed event and one for an execution of another state machine arrive
        RunReconciler.Reconciled replay = reconciler.executionEnded(new ExecutionEnded(done, null,
                ExecutionStatus.FAILED, "X", "late"));
        RunReconciler.Reconciled foreign = reconciler.executionEnded(new ExecutionEnded(other,
                "arn:aws:states:us-east-1:000000000000:execution:another-machine:" + other, ExecutionStatus.FAILED, "X",
                "not ours"));
        RunReconciler.Reconciled ghost = reconciler.executionEnded(new ExecutionEnded("no-such-run", null,
                ExecutionStatus.FAILED, "X", "?"));
        // THEN
        assertThat(replay.ended()).isFalse();
        assertThat(p.runs.find(done).orElseThrow().status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(foreign.ended()).isFalse();
        assertThat(foreign.reason()).contains("is not the execution of run");
        assertThat(p.runs.find(other).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        assertThat(ghost.ended()).isFalse();
        assertThat(p.runs.find("no-such-run")).isEmpty();
    }

    @Test
    void aSweep_shouldEndRunsWhoseExecutionEnded_andRunsNeverStartedOnlyAfterTheGrace() {
        // GIVEN a run whose execution failed uncaught, one still running, and one whose execution was never started
        String failed = runningRun("iris");
        p.launcher.end(failed, ExecutionStatus.FAILED, "States.Runtime", "the RecordFailure step itself failed");
        String running = runningRun("wine");
        String orphan = "orphan-" + "ab".repeat(16);
        p.runs.start(Run.started(Fixtures.request(orphan, "iris"), p.launcher.executionIdFor(orphan), 1, null,
                p.clock.instant()));
        // WHEN swept at once
        RunReconciler.Sweep first = reconciler.sweep(RunReconciler.DEFAULT_GRACE);
        // THEN the failed one is ended; the running one and the young orphan are left alone
        assertThat(first.checked()).isEqualTo(3);
        assertThat(first.runs()).extracting(RunReconciler.Reconciled::runId).containsExactly(failed);
        assertThat(p.runs.find(failed).orElseThrow().cause()).isEqualTo("the RecordFailure step itself failed");
        assertThat(p.runs.find(orphan).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        // WHEN the orphan is older than the grace
        p.clock.advance(Duration.ofMinutes(16));
        RunReconciler.Sweep later = reconciler.sweep(RunReconciler.DEFAULT_GRACE);
        // THEN it is ended with a cause that says what happened, and the running one still runs
        assertThat(later.runs()).extracting(RunReconciler.Reconciled::runId).containsExactly(orphan);
        assertThat(p.runs.find(orphan).orElseThrow()).satisfies(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.FAILED);
            assertThat(r.error()).isEqualTo(RunReconciler.NEVER_STARTED);
            assertThat(r.cause()).contains("was never started");
        });
        assertThat(p.runs.find(running).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void retry_shouldReconcileARunningRunWhoseExecutionEnded_andRefuseOneStillRunning() {
        // GIVEN a run whose execution was killed before any event was handled, and one that runs
        String killed = runningRun("iris");
        p.launcher.end(killed, ExecutionStatus.FAILED, "States.Runtime", "killed");
        String live = runningRun("wine");
        // WHEN / THEN
        RegistryService.RetryStarted retry = p.registryService.retry(new RegistryTask.RetryRun(killed));
        assertThat(retry.newRunId()).isEqualTo(killed + "-r2");
        assertThat(p.runs.find(killed).orElseThrow().status()).isEqualTo(RunStatus.FAILED);
        assertThatThrownBy(() -> p.registryService.retry(new RegistryTask.RetryRun(live)))
                .isInstanceOf(ContractException.class).hasMessageContaining("its execution is running");
        // AND a retried run reaches SUCCEEDED
        assertThat(p.runToEnd(retry.newRunId()).status()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aRegisterStepRetriedAfterItsVersionWasWritten_shouldFinishTheVersionFolderAndAudit() {
        // GIVEN a registration whose first attempt stopped right after the version item (the commit point)
        String runId = runningRun("iris");
        var trained = p.train(runId);
        p.register(runId, trained);
        p.store.delete("models/iris/1/model-card.json");
        // WHEN the step is retried
        p.register(runId, trained);
        // THEN the folder people read is complete and the registration is audited once
        assertThat(p.store.find("models/iris/1/model-card.json")).isPresent();
        assertThat(p.registry.auditTrail("iris")).filteredOn(e -> e.action().equals("register")).hasSize(1);
        assertThat(p.registry.find("iris", 2)).isEmpty();
    }

    @Test
    void recordFailure_onAnAbortedRun_shouldNotRewriteIt() {
        // GIVEN a run reconciled ABORTED
        String runId = runningRun("iris");
        reconciler.executionEnded(new ExecutionEnded(runId, null, ExecutionStatus.ABORTED, "Stopped", "by hand"));
        // WHEN a late RecordFailure of the stopped execution arrives
        RegistryService.FailureRecorded late = p.registryService.recordFailure(new RegistryTask.RecordFailure(runId,
                "iris", Map.of("Error", "X", "Cause", "late")));
        // THEN
        assertThat(late.recorded()).isFalse();
        assertThat(p.runs.find(runId).orElseThrow().status()).isEqualTo(RunStatus.ABORTED);
    }
}

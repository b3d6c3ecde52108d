package dev.mlops.core.registry;

import dev.mlops.core.Layout;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.RunStatus;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.TransientException;
import dev.mlops.core.ingest.IngestionService;
import dev.mlops.core.pipeline.Promotion;
import dev.mlops.core.pipeline.Registration;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.testing.Datasets;
import dev.mlops.core.testing.PipelineHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a platform team does to models, on the in-memory ports with real training: every move of
 * production a compare-and-set audited once and announced once, rollbacks that go back through
 * production's history, the manual approval policy, forced overrides with their reason.
 */
class RegistryOperationsTest {

    private final PipelineHarness p = new PipelineHarness();
    private final String wine = Datasets.read("wine");

    private String upload(String csv) {
        IngestionService.Outcome outcome = p.upload("wine", "wine-" + csv.hashCode() + ".csv", csv, Map.of());
        assertThat(outcome.status()).as(outcome.reason()).isEqualTo(IngestionService.Status.VALID);
        return outcome.runId();
    }

    /** Uploads and runs the pipeline to its end. */
    private Run run(String csv) {
        return p.runToEnd(upload(csv));
    }

    private Integer production() {
        return p.registry.alias("wine", ModelRegistry.PRODUCTION).orElse(null);
    }

    private List<AuditEntry> moves() {
        return p.registry.auditTrail("wine").stream().filter(AuditEntry::movedProduction).toList();
    }

    private void config(Map<String, Object> config) {
        p.store.putJson(Layout.config("wine"), config);
    }

    private Change promote(int version, Integer expected, boolean force, String reason) {
        return p.commands.promote(new RegistryCommand.Promote("wine", version, expected, "cli:ann", reason, force));
    }

    // ------------------------------------------------------------------ promote

    @Test
    void promote_shouldMoveProductionOnce_auditItWithWhoAndWhy_andAnnounceIt() {
        // GIVEN v1 in production and v2 registered, blessed, not promoted
        run(wine);
        String run2 = upload(Datasets.shuffled(wine, 2));
        assertThat(p.register(run2, p.train(run2)).blessed()).isTrue();
        p.events.clear();
        // WHEN a person promotes v2
        Change change = promote(2, null, false, "canary looked fine");
        // THEN
        assertThat(change.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(change.productionBefore()).isEqualTo(1);
        assertThat(production()).isEqualTo(2);
        AuditEntry move = moves().get(moves().size() - 1);
        assertThat(move.action()).isEqualTo("promote");
        assertThat(move.actor()).isEqualTo("cli:ann");
        assertThat(move.fromVersion()).isEqualTo(1);
        assertThat(move.toVersion()).isEqualTo(2);
        assertThat(move.reason()).isEqualTo("canary looked fine");
        assertThat(move.forced()).isNull();
        assertThat(p.events.published()).singleElement().satisfies(e -> {
            assertThat(e.detailType()).isEqualTo(RegistryEvent.PROMOTED);
            assertThat(e.detailDocument()).containsEntry("from_version", 1).containsEntry("to_version", 2)
                    .containsEntry("actor", "cli:ann").containsEntry("model", "wine").containsEntry("version", 2);
        });
    }

    @Test
    void promote_fromAProductionThatMoved_shouldBeAConflict_andChangeNothing() {
        // GIVEN v1 in production, v2 registered
        run(wine);
        String run2 = upload(Datasets.shuffled(wine, 2));
        p.register(run2, p.train(run2));
        int auditBefore = p.registry.auditTrail("wine").size();
        p.events.clear();
        // WHEN a person promotes v2 believing production is still "none"
        Change change = promote(2, 7, false, null);
        // THEN
        assertThat(change.outcome()).isEqualTo(Change.Outcome.CONFLICT);
        assertThat(change.reason()).contains("production is v1, not v7");
        assertThat(production()).isEqualTo(1);
        assertThat(p.registry.auditTrail("wine")).hasSize(auditBefore);
        assertThat(p.events.published()).isEmpty();
    }

    @Test
    void twentyConcurrentPromotionsFromTheSameState_shouldHaveOneWinner_andOneAuditEntry() throws Exception {
        // GIVEN v1 in production and twenty more blessed versions of the same artifact
        run(wine);
        ModelVersion v1 = p.registry.find("wine", 1).orElseThrow();
        for (int i = 0; i < 20; i++) {
            p.registry.register(v1);
        }
        int movesBefore = moves().size();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Change>> calls = new ArrayList<>();
            for (int v = 2; v <= 21; v++) {
                int version = v;
                calls.add(() -> promote(version, 1, false, "race"));
            }
            // WHEN all twenty promote from v1 at once
            List<Change> changes = new ArrayList<>();
            for (Future<Change> f : pool.invokeAll(calls)) {
                changes.add(f.get());
            }
            // THEN exactly one moved production; the others are conflicts; one audit entry for the move
            assertThat(changes).filteredOn(c -> c.outcome() == Change.Outcome.CHANGED).hasSize(1);
            assertThat(changes).filteredOn(c -> c.outcome() == Change.Outcome.CONFLICT).hasSize(19)
                    .allSatisfy(c -> assertThat(c.reason()).contains("not v1 as expected"));
            int winner = changes.stream().filter(c -> c.outcome() == Change.Outcome.CHANGED).findFirst().orElseThrow()
                    .version();
            assertThat(production()).isEqualTo(winner);
            assertThat(moves()).hasSize(movesBefore + 1);
            assertThat(p.events.detailTypes()).filteredOn(RegistryEvent.PROMOTED::equals).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void promote_ofAVersionNotBlessed_shouldBeRefused_unlessForcedWithAReason_whichIsAudited() {
        // GIVEN v1 in production, v2 NOT_BLESSED because the policy demands a clear win
        run(wine);
        config(Map.of("blessing", Map.of("margin", -0.5)));
        Run second = run(Datasets.shuffled(wine, 2));
        assertThat(second.status()).isEqualTo(RunStatus.NOT_BLESSED);
        // WHEN / THEN refused without --force
        Change refused = promote(2, null, false, null);
        assertThat(refused.outcome()).isEqualTo(Change.Outcome.REFUSED);
        assertThat(refused.reason()).contains("v2 is NOT_BLESSED").contains("--force");
        assertThat(production()).isEqualTo(1);
        // AND --force without a reason is a usage error
        assertThatThrownBy(() -> promote(2, null, true, null)).isInstanceOf(ContractException.class)
                .hasMessageContaining("--force needs a reason");
        // AND --force with a reason moves production, audited as forced
        Change forced = promote(2, null, true, "hotfix for a bad label");
        assertThat(forced.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(forced.forced()).isTrue();
        assertThat(production()).isEqualTo(2);
        AuditEntry move = moves().get(moves().size() - 1);
        assertThat(move.forced()).isTrue();
        assertThat(move.reason()).isEqualTo("FORCED: hotfix for a bad label");
        assertThat(p.events.published().get(p.events.published().size() - 1).detailDocument())
                .containsEntry("forced", true);
    }

    // ------------------------------------------------------------------ rollback

    @Test
    void rollback_shouldGoBackThroughProductionsHistory_auditedAndAnnounced() {
        // GIVEN v1, v2, v3 promoted in turn by the pipeline
        run(wine);
        run(Datasets.shuffled(wine, 2));
        run(Datasets.shuffled(wine, 3));
        assertThat(production()).isEqualTo(3);
        p.events.clear();
        // WHEN rolled back twice
        Change first = p.commands.rollback(new RegistryCommand.Rollback("wine", null, "cli:ann", null, false));
        Change second = p.commands.rollback(new RegistryCommand.Rollback("wine", null, "cli:ann", "again", false));
        // THEN production went 3 -> 2 -> 1, each move audited once and announced once
        assertThat(first.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(first.productionBefore()).isEqualTo(3);
        assertThat(first.productionAfter()).isEqualTo(2);
        assertThat(second.productionAfter()).isEqualTo(1);
        assertThat(production()).isEqualTo(1);
        assertThat(moves()).extracting(e -> e.action() + " " + e.fromVersion() + "->" + e.toVersion())
                .containsExactly("promote null->1", "promote 1->2", "promote 2->3", "rollback 3->2", "rollback 2->1");
        assertThat(p.events.detailTypes()).containsExactly(RegistryEvent.ROLLED_BACK, RegistryEvent.ROLLED_BACK);
        // AND there is nothing before v1
        Change none = p.commands.rollback(new RegistryCommand.Rollback("wine", null, "cli:ann", null, false));
        assertThat(none.outcome()).isEqualTo(Change.Outcome.REFUSED);
        assertThat(none.reason()).contains("no version served before v1");
        // AND --to goes anywhere blessed
        Change to3 = p.commands.rollback(new RegistryCommand.Rollback("wine", 3, "cli:ann", null, false));
        assertThat(to3.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(production()).isEqualTo(3);
        // AND a model without production cannot be rolled back
        assertThatThrownBy(() -> p.commands.rollback(new RegistryCommand.Rollback("nope", null, "cli:ann", null,
                false))).isInstanceOf(ContractException.class).hasMessageContaining("there is no model nope");
    }

    // ------------------------------------------------------------------ manual approval

    @Test
    void manualApproval_shouldLeaveABlessedVersionPending_untilApproved_thenPromoteIt() {
        // GIVEN the manual approval policy
        config(Map.of("approval", Map.of("policy", "manual")));
        // WHEN the pipeline runs
        Run run = run(wine);
        // THEN the version waits: nothing serves, the run ends PENDING_APPROVAL with the reason
        assertThat(run.status()).isEqualTo(RunStatus.PENDING_APPROVAL);
        assertThat(run.reason()).contains("approval policy manual").contains("models approve wine 1");
        assertThat(production()).isNull();
        ModelVersion v1 = p.registry.find("wine", 1).orElseThrow();
        assertThat(v1.approval().status()).isEqualTo(ApprovalStatus.PENDING_APPROVAL);
        assertThat(p.events.detailTypes()).containsExactly(RegistryEvent.REGISTERED, RegistryEvent.BLESSED,
                RegistryEvent.PENDING_APPROVAL);
        // AND a promotion cannot skip the approval, even forced
        assertThat(promote(1, null, false, null).outcome()).isEqualTo(Change.Outcome.REFUSED);
        assertThat(promote(1, null, true, "skip it").reason()).contains("PENDING_APPROVAL");
        // WHEN a person approves
        Change approved = p.commands.approve(new RegistryCommand.Approve("wine", 1, "cli:bob", "reviewed"));
        // THEN it serves, approved by that person, one move audited, announced
        assertThat(approved.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(production()).isEqualTo(1);
        assertThat(p.registry.find("wine", 1).orElseThrow().approval().actor()).isEqualTo("cli:bob");
        assertThat(moves()).extracting(e -> e.action() + " " + e.actor()).containsExactly("approve cli:bob");
        assertThat(p.events.detailTypes()).endsWith(RegistryEvent.APPROVED, RegistryEvent.PROMOTED);
        // AND approving again changes nothing
        assertThat(p.commands.approve(new RegistryCommand.Approve("wine", 1, "cli:bob", null)).outcome())
                .isEqualTo(Change.Outcome.UNCHANGED);
    }

    @Test
    void promoteStepRetried_underManualApproval_shouldAskForApprovalOnce() {
        // GIVEN the manual policy and a run at its Promote step
        config(Map.of("approval", Map.of("policy", "manual")));
        String runId = upload(wine);
        Registration registration = p.register(runId, p.train(runId));
        // WHEN the step runs twice (a retry)
        Promotion first = p.promote(runId, registration);
        Promotion again = p.promote(runId, registration);
        // THEN both say PENDING_APPROVAL, and approval was asked once
        assertThat(first.outcome()).isEqualTo(Promotion.Outcome.PENDING_APPROVAL);
        assertThat(again.outcome()).isEqualTo(Promotion.Outcome.PENDING_APPROVAL);
        assertThat(p.registry.auditTrail("wine")).filteredOn(e -> e.action().equals("approval_requested")).hasSize(1);
        assertThat(production()).isNull();
    }

    @Test
    void approve_whenTheChampionMovedMeanwhile_shouldBeAConflict_andLeaveTheVersionPending() {
        // GIVEN v1 approved, then v2 and v3 both blessed against v1 and pending
        config(Map.of("approval", Map.of("policy", "manual")));
        run(wine);
        p.commands.approve(new RegistryCommand.Approve("wine", 1, "cli:bob", null));
        run(Datasets.shuffled(wine, 2));
        run(Datasets.shuffled(wine, 3));
        assertThat(p.registry.find("wine", 2).orElseThrow().blessing().championVersion()).isEqualTo(1);
        assertThat(p.registry.find("wine", 3).orElseThrow().blessing().championVersion()).isEqualTo(1);
        // AND v3 approved first
        assertThat(p.commands.approve(new RegistryCommand.Approve("wine", 3, "cli:bob", null)).outcome())
                .isEqualTo(Change.Outcome.CHANGED);
        int moves = moves().size();
        // WHEN v2 is approved
        Change late = p.commands.approve(new RegistryCommand.Approve("wine", 2, "cli:ann", null));
        // THEN conflict: production stays v3, v2 still pending, nothing audited
        assertThat(late.outcome()).isEqualTo(Change.Outcome.CONFLICT);
        assertThat(late.reason()).contains("production moved to v3 after v2 was blessed against v1");
        assertThat(production()).isEqualTo(3);
        assertThat(p.registry.find("wine", 2).orElseThrow().approval().status())
                .isEqualTo(ApprovalStatus.PENDING_APPROVAL);
        assertThat(moves()).hasSize(moves);
    }

    @Test
    void reject_shouldNeedAReason_andARejectedVersionServesOnlyWhenForced() {
        // GIVEN a pending version
        config(Map.of("approval", Map.of("policy", "manual")));
        run(wine);
        // WHEN / THEN a rejection without a reason is refused at the door
        assertThatThrownBy(() -> p.commands.reject(new RegistryCommand.Reject("wine", 1, "cli:ann", " ")))
                .isInstanceOf(ContractException.class).hasMessageContaining("field \"reason\"");
        Change rejected = p.commands.reject(new RegistryCommand.Reject("wine", 1, "cli:ann", "label leak"));
        assertThat(rejected.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(p.registry.find("wine", 1).orElseThrow().approval().status()).isEqualTo(ApprovalStatus.REJECTED);
        assertThat(p.events.detailTypes()).endsWith(RegistryEvent.REJECTED);
        assertThat(p.commands.approve(new RegistryCommand.Approve("wine", 1, "cli:bob", null)).outcome())
                .isEqualTo(Change.Outcome.REFUSED);
        assertThat(promote(1, null, false, null).reason()).contains("REJECTED by cli:ann: label leak");
        assertThat(promote(1, null, true, "the leak was a false alarm").outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(moves().get(0).forced()).isTrue();
    }

    // ------------------------------------------------------------------ tags, history, lineage

    @Test
    void tag_shouldSetAValueOnce_andRefuseABadKey() {
        // GIVEN
        run(wine);
        // WHEN
        Change set = p.commands.tag(new RegistryCommand.Tag("wine", 1, "stage", "canary", "cli:ann"));
        Change same = p.commands.tag(new RegistryCommand.Tag("wine", 1, "stage", "canary", "cli:ann"));
        // THEN
        assertThat(set.outcome()).isEqualTo(Change.Outcome.CHANGED);
        assertThat(same.outcome()).isEqualTo(Change.Outcome.UNCHANGED);
        assertThat(p.registry.find("wine", 1).orElseThrow().tags()).containsEntry("stage", "canary");
        assertThat(p.registry.auditTrail("wine")).filteredOn(e -> e.action().equals("tag")).hasSize(1);
        assertThatThrownBy(() -> p.commands.tag(new RegistryCommand.Tag("wine", 1, "bad key", "x", "cli:ann")))
                .isInstanceOf(ContractException.class).hasMessageContaining("tag keys");
        assertThatThrownBy(() -> p.commands.tag(new RegistryCommand.Tag("wine", 9, "k", "x", "cli:ann")))
                .isInstanceOf(ContractException.class).hasMessageContaining("model wine has no version 9");
    }

    @Test
    void lineage_shouldLeadFromAVersionToItsDataAndRun_andDatasetLineageBack() {
        // GIVEN
        Run run = run(wine);
        // WHEN
        RegistryViews.Lineage lineage = p.queries.lineage("wine", 1);
        RegistryViews.DatasetLineage back = p.queries.datasetLineage("wine", run.datasetVersion());
        // THEN
        assertThat(lineage.dataset()).containsEntry("version", run.datasetVersion()).containsEntry("status", "VALID")
                .containsEntry("schema", Layout.validatedSchema("wine", run.datasetVersion()))
                .containsEntry("profile", Layout.profile("wine", run.datasetVersion()));
        assertThat(lineage.run()).containsEntry("run_id", run.runId()).containsEntry("status", "SUCCEEDED");
        assertThat(lineage.candidate()).containsEntry("index", 0);
        assertThat(lineage.artifact().get("sha256")).isEqualTo(p.registry.find("wine", 1).orElseThrow().artifact().sha256());
        assertThat(back.models()).singleElement().satisfies(t -> {
            assertThat(t.model()).isEqualTo("wine");
            assertThat(t.version()).isEqualTo(1);
            assertThat(t.production()).isTrue();
        });
        assertThatThrownBy(() -> p.queries.datasetLineage("wine", "00".repeat(32)))
                .isInstanceOf(ContractException.class).hasMessageContaining("has no version");
    }

    @Test
    void listShowAndHistory_shouldDescribeTheRegistry() {
        // GIVEN v1 in production and v2 pending under the manual policy
        run(wine);
        config(Map.of("approval", Map.of("policy", "manual")));
        run(Datasets.shuffled(wine, 2));
        // WHEN
        RegistryViews.ModelList list = p.queries.list();
        RegistryViews.ModelDetail detail = p.queries.show("wine");
        RegistryViews.History history = p.queries.history("wine");
        // THEN
        assertThat(list.models()).singleElement().satisfies(m -> {
            assertThat(m.productionVersion()).isEqualTo(1);
            assertThat(m.latestVersion()).isEqualTo(2);
            assertThat(m.approvalPolicy()).isEqualTo("manual");
            assertThat(m.pendingApproval()).containsExactly(2);
        });
        assertThat(detail.versions()).extracting(RegistryViews.VersionSummary::approval)
                .containsExactly(null, "PENDING_APPROVAL");
        assertThat(history.entries()).extracting(AuditEntry::action)
                .containsExactly("register", "promote", "register", "approval_requested");
    }

    // ------------------------------------------------------------------ events of the pipeline

    @Test
    void pipeline_shouldAnnounceRegistrationVerdictAndPromotion_andAnnounceAgainWhenAStepIsRetried() {
        // GIVEN a bus that is down when the first registration is announced
        String runId = upload(wine);
        var trained = p.train(runId);
        p.events.failWith(new TransientException("EventBridge unreachable", null));
        // WHEN the Register step fails on it, then is retried with the bus back
        assertThatThrownBy(() -> p.register(runId, trained)).isInstanceOf(TransientException.class);
        p.events.failWith(null);
        Registration registration = p.register(runId, trained);
        p.promote(runId, registration);
        // THEN the version was registered once, and every change was announced
        assertThat(p.registry.versions("wine")).hasSize(1);
        assertThat(p.events.detailTypes()).containsExactly(RegistryEvent.REGISTERED, RegistryEvent.BLESSED,
                RegistryEvent.PROMOTED);
        assertThat(p.events.published().get(2).detailDocument()).containsEntry("actor", runId)
                .containsEntry("to_version", 1);
    }
}

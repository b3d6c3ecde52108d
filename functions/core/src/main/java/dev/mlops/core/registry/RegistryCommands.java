package dev.mlops.core.registry;

import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.ArtifactLoader;
import dev.mlops.core.pipeline.RolloutPolicy;
import dev.mlops.core.ports.ModelRegistry;
import dev.mlops.core.ports.ObjectStore;
import dev.mlops.core.ports.RegistryEvents;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.mlops.core.registry.Production.describe;

/**
 * What a platform team changes in the registry ({@link RegistryCommand}): promote, roll back, approve, reject,
 * tag, and start, abort or promote a rollout. The same rules as the pipeline's {@link RegistryService}: production
 * moves only through {@link Production#move} (a compare-and-set from the version the caller saw, audited once with
 * who, when, from, to and why, and announced on the event bus), a rollout only through {@link Rollouts}; only a
 * blessed version that is not rejected can serve, unless a person forces it with a reason (audited as forced).
 * Conflicts and refusals are answers ({@link Change}), not errors: nothing was changed.
 */
public final class RegistryCommands {

    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");
    private static final int MAX_TAG_VALUE = 256;
    private static final int MAX_TEXT = 1000;

    /** How many times a person's rollout change is tried again when only the check's evidence changed meanwhile. */
    private static final int ROLLOUT_ATTEMPTS = 3;

    private final ObjectStore store;
    private final ModelRegistry registry;
    private final RegistryEvents events;
    private final ArtifactLoader artifacts;
    private final Clock clock;
    private final NamedVersions named;
    private final Production production;
    private final Rollouts rollouts;

    public RegistryCommands(ObjectStore store, ModelRegistry registry, RegistryEvents events, Clock clock) {
        this.store = store;
        this.registry = registry;
        this.events = events;
        this.artifacts = new ArtifactLoader(store);
        this.clock = clock;
        this.named = new NamedVersions(registry);
        this.production = new Production(registry, events, clock);
        this.rollouts = new Rollouts(registry, events, clock);
    }

    /** Makes one change. */
    public Change run(RegistryCommand command) {
        if (command instanceof RegistryCommand.Promote p) {
            return promote(p);
        }
        if (command instanceof RegistryCommand.Rollback r) {
            return rollback(r);
        }
        if (command instanceof RegistryCommand.Approve a) {
            return approve(a);
        }
        if (command instanceof RegistryCommand.Reject r) {
            return reject(r);
        }
        if (command instanceof RegistryCommand.StartRollout s) {
            return startRollout(s);
        }
        if (command instanceof RegistryCommand.AbortRollout a) {
            return abortRollout(a);
        }
        if (command instanceof RegistryCommand.PromoteRollout p) {
            return promoteRollout(p);
        }
        return tag((RegistryCommand.Tag) command);
    }

    /** {@code promote_model}: a compare-and-set from the production the caller saw. */
    public Change promote(RegistryCommand.Promote op) {
        AuditAction action = AuditAction.PROMOTE;
        String model = NamedVersions.require("model", op.model());
        String reason = text(op.reason(), "reason");
        ModelVersion v = named.find(model, op.version());
        requireForceReason(op.force(), reason);
        Integer current = production.version(model);
        Integer expected = op.expectedProduction() != null ? op.expectedProduction() : current;
        String refusal = refusal(v, op.force(), "promoted");
        if (refusal != null) {
            return Change.refused(action, model, v.version(), current, refusal);
        }
        if (!Objects.equals(current, expected)) {
            return Change.conflict(action, model, v.version(), current, current, "production is " + describe(current)
                    + ", not " + describe(expected) + " as expected; nothing changed");
        }
        if (Objects.equals(current, v.version())) {
            return Change.unchanged(action, model, v.version(), current,
                    "v" + v.version() + " already serves as production");
        }
        ready(v);
        boolean forced = op.force() && !v.blessed() || op.force() && v.approvalIs(ApprovalStatus.REJECTED);
        String why = reason != null ? reason : "promoted by " + op.actor() + " (" + v.blessing().reason() + ")";
        return move(Production.Move.of(action, v, expected, op.actor(), why).forced(forced));
    }

    /** {@code rollback_model}: back to {@code to}, or to the version that served before the current one. */
    public Change rollback(RegistryCommand.Rollback op) {
        AuditAction action = AuditAction.ROLLBACK;
        String model = NamedVersions.require("model", op.model());
        String reason = text(op.reason(), "reason");
        named.all(model);
        requireForceReason(op.force(), reason);
        Integer current = production.version(model);
        if (current == null) {
            return Change.refused(action, model, op.to(), null,
                    "model " + model + " has no production version to roll back from");
        }
        Integer target = op.to();
        if (target == null) {
            target = previousProduction(model, current).orElse(null);
            if (target == null) {
                return Change.refused(action, model, null, current, "no version served before v" + current
                        + " (see `models history " + model + "`); use --to VERSION");
            }
        }
        ModelVersion v = named.find(model, target);
        if (Objects.equals(current, target)) {
            return Change.unchanged(action, model, target, current, "v" + target + " already serves as production");
        }
        String refusal = refusal(v, op.force(), "rolled back to");
        if (refusal != null) {
            return Change.refused(action, model, target, current, refusal);
        }
        ready(v);
        boolean forced = op.force() && (!v.blessed() || v.approvalIs(ApprovalStatus.REJECTED));
        String why = reason != null ? reason : "rolled back by " + op.actor() + " from v" + current + " to v" + target;
        return move(Production.Move.of(action, v, current, op.actor(), why).forced(forced));
    }

    /**
     * {@code approve_version}: a PENDING_APPROVAL version is promoted from the champion it was blessed
     * against. The approval is taken first (so a concurrent rejection loses), then production is
     * moved; if production moved meanwhile the version goes back to PENDING_APPROVAL and the answer
     * is a conflict.
     */
    public Change approve(RegistryCommand.Approve op) {
        AuditAction action = AuditAction.APPROVE;
        String model = NamedVersions.require("model", op.model());
        String reason = text(op.reason(), "reason");
        ModelVersion v = named.find(model, op.version());
        int version = v.version();
        Integer current = production.version(model);
        Integer champion = v.blessing().championVersion();
        if (v.approval() == null || v.approvalIs(ApprovalStatus.REJECTED)) {
            return Change.refused(action, model, version, current, "v" + version + " is "
                    + (v.approval() == null ? "not waiting for approval" : "REJECTED: " + v.approval().reason())
                    + "; only a PENDING_APPROVAL version can be approved");
        }
        if (v.approvalIs(ApprovalStatus.APPROVED) && Objects.equals(current, version)) {
            return Change.unchanged(action, model, version, current,
                    "v" + version + " is approved and serves as production");
        }
        if (!v.blessed()) {
            return Change.refused(action, model, version, current,
                    "v" + version + " is NOT_BLESSED: " + v.blessing().reason());
        }
        if (!Objects.equals(current, champion)) {
            return championMoved(model, version, current, champion);
        }
        ready(v);
        String why = reason != null ? reason : "approved by " + op.actor();
        Approval approved = new Approval(ApprovalStatus.APPROVED, op.actor(), clock.instant(), why);
        if (v.approvalIs(ApprovalStatus.PENDING_APPROVAL)
                && !registry.setApproval(model, version, approved, ApprovalStatus.PENDING_APPROVAL)) {
            return decidedMeanwhile(action, model, version, current);
        }
        RolloutPolicy policy = DatasetConfigs.rollout(store, v.lineage().dataset());
        if (policy.gradual() && champion != null) {
            return approveIntoRollout(v, approved, policy, champion, op.actor(), why);
        }
        Production.Result moved = production.move(Production.Move.of(action, v, champion, op.actor(), why));
        if (moved instanceof Production.Conflict conflict) {
            // Production moved between our read and our move: undo the approval, the version waits again.
            registry.setApproval(model, version, v.approvalIs(ApprovalStatus.PENDING_APPROVAL) ? v.approval()
                    : new Approval(ApprovalStatus.PENDING_APPROVAL, op.actor(), clock.instant(),
                    "approval undone: production moved"), ApprovalStatus.APPROVED);
            return championMoved(model, version, conflict.production(), champion);
        }
        return Change.changed(action, model, version, champion, version, false,
                "approved: production " + describe(champion) + " -> v" + version);
    }

    /**
     * An approval under a shadow or canary rollout strategy: the approved version goes live as a rollout's challenger
     * beside the champion it was blessed against, as the pipeline would have started it; production does not move.
     */
    private Change approveIntoRollout(ModelVersion v, Approval approved, RolloutPolicy policy, int champion,
                                      String actor, String why) {
        String model = v.model();
        int version = v.version();
        Rollouts.Result started = rollouts.start(v, policy, champion, actor, "approved: " + why, true);
        if (started instanceof Rollouts.Changed || started instanceof Rollouts.Unchanged) {
            // The rollout's start entry records the approval (actor, "approved: why"); an approve entry would read as
            // a move of production, which this is not. The approval is announced as usual.
            events.publish(RegistryEvent.of(RegistryEvent.APPROVED, new AuditEntry(model, approved.at(),
                    AuditAction.APPROVE, actor, champion, version, why), Map.of("strategy", policy.strategy())));
            Rollout r = started instanceof Rollouts.Changed c ? c.rollout() : ((Rollouts.Unchanged) started).rollout();
            return Change.changed(AuditAction.APPROVE, model, version, champion, champion, false,
                    "approved: " + r.describe() + "; the scheduled check promotes or aborts it on live evidence");
        }
        // Production moved (or a rule forbids the rollout): undo the approval, the version waits again.
        registry.setApproval(model, version, new Approval(ApprovalStatus.PENDING_APPROVAL, actor, clock.instant(),
                "approval undone: the rollout could not start"), ApprovalStatus.APPROVED);
        if (started instanceof Rollouts.Conflict conflict) {
            return championMoved(model, version, conflict.production(), champion);
        }
        return Change.refused(AuditAction.APPROVE, model, version, champion, ((Rollouts.Refused) started).reason());
    }

    private static Change championMoved(String model, int version, Integer current, Integer champion) {
        return Change.conflict(AuditAction.APPROVE, model, version, current, current,
                "production moved to " + describe(current) + " after v" + version + " was blessed against "
                        + describe(champion) + "; approving would promote a version never compared with the current "
                        + "champion, so nothing changed (v" + version + " stays PENDING_APPROVAL: reject it, retrain, "
                        + "or promote it with --force and a reason)");
    }

    /** {@code reject_version}: a PENDING_APPROVAL version is rejected with the reason. */
    public Change reject(RegistryCommand.Reject op) {
        AuditAction action = AuditAction.REJECT;
        String model = NamedVersions.require("model", op.model());
        String reason = text(op.reason(), "reason");
        if (reason == null || reason.isBlank()) {
            throw new ContractException("field \"reason\": a rejection needs a reason");
        }
        ModelVersion v = named.find(model, op.version());
        Integer current = production.version(model);
        if (v.approvalIs(ApprovalStatus.REJECTED)) {
            return Change.unchanged(action, model, v.version(), current,
                    "v" + v.version() + " is already REJECTED: " + v.approval().reason());
        }
        if (!v.approvalIs(ApprovalStatus.PENDING_APPROVAL)) {
            return Change.refused(action, model, v.version(), current, "v" + v.version() + " is "
                    + (v.approval() == null ? "not waiting for approval" : v.approval().status().name())
                    + "; only a PENDING_APPROVAL version can be rejected");
        }
        Approval rejected = new Approval(ApprovalStatus.REJECTED, op.actor(), clock.instant(), reason);
        if (!registry.setApproval(model, v.version(), rejected, ApprovalStatus.PENDING_APPROVAL)) {
            return decidedMeanwhile(action, model, v.version(), current);
        }
        AuditEntry entry = new AuditEntry(model, rejected.at(), action, op.actor(), null, v.version(), reason);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.REJECTED, entry, Map.of()));
        return Change.changed(action, model, v.version(), current, current, false, reason);
    }

    /** Another person's decision on the version came first. */
    private Change decidedMeanwhile(AuditAction action, String model, int version, Integer current) {
        ModelVersion now = named.find(model, version);
        return Change.conflict(action, model, version, current, production.version(model), "v" + version
                + " was decided meanwhile: " + (now.approval() == null ? "no approval"
                : now.approval().status() + " by " + now.approval().actor()) + "; nothing changed");
    }

    /** {@code tag_version}: one key set to one value. */
    public Change tag(RegistryCommand.Tag op) {
        AuditAction action = AuditAction.TAG;
        String model = NamedVersions.require("model", op.model());
        if (!TAG_KEY.matcher(op.key()).matches()) {
            throw new ContractException("field \"key\": tag keys are 1-128 characters of A-Z a-z 0-9 _ . : / -, got \""
                    + op.key() + "\"");
        }
        if (op.value().length() > MAX_TAG_VALUE) {
            throw new ContractException("field \"value\": at most " + MAX_TAG_VALUE + " characters");
        }
        ModelVersion v = named.find(model, op.version());
        Integer current = production.version(model);
        if (op.value().equals(v.tags().get(op.key()))) {
            return Change.unchanged(action, model, v.version(), current, op.key() + "=" + op.value() + " is already set");
        }
        if (!registry.tag(model, v.version(), op.key(), op.value())) {
            throw new ContractException("model " + model + " has no version " + v.version());
        }
        String what = op.key() + "=" + op.value();
        AuditEntry entry = new AuditEntry(model, clock.instant(), action, op.actor(), null, v.version(), what);
        registry.audit(entry);
        events.publish(RegistryEvent.of(RegistryEvent.TAGGED, entry, Map.of("key", op.key(), "value", op.value())));
        return Change.changed(action, model, v.version(), current, current, false, what);
    }

    // ------------------------------------------------------------------ rollouts

    /** {@code start_rollout}: a rollout of a version beside production, under its dataset's policy or the given one. */
    public Change startRollout(RegistryCommand.StartRollout op) {
        AuditAction action = AuditAction.ROLLOUT_START;
        String model = NamedVersions.require("model", op.model());
        String reason = text(op.reason(), "reason");
        ModelVersion v = named.find(model, op.version());
        requireForceReason(op.force(), reason);
        Integer current = production.version(model);
        String refusal = refusal(v, op.force(), "rolled out");
        if (refusal != null) {
            return Change.refused(action, model, v.version(), current, refusal);
        }
        RolloutPolicy policy = DatasetConfigs.rollout(store, v.lineage().dataset());
        if (op.strategy() != null) {
            policy = policy.withStrategy(op.strategy());
        }
        if (!policy.gradual()) {
            return Change.refused(action, model, v.version(), current, "the strategy is direct, which starts no rollout:"
                    + " give --strategy shadow or canary, or use `models promote`");
        }
        if (op.share() != null) {
            policy = startingAt(policy, op.share());
        }
        ready(v);
        boolean forced = op.force() && (!v.blessed() || v.approvalIs(ApprovalStatus.REJECTED));
        String why = (forced ? "FORCED: " : "") + (reason != null ? reason : "started by " + op.actor() + " ("
                + v.blessing().reason() + ")");
        Rollouts.Result result = rollouts.start(v, policy, op.expectedProduction(), op.actor(), why, false);
        if (result instanceof Rollouts.Changed c) {
            return Change.changed(action, model, v.version(), current, current, forced, c.rollout().describe());
        }
        if (result instanceof Rollouts.Unchanged u) {
            return Change.unchanged(action, model, v.version(), current, u.reason());
        }
        if (result instanceof Rollouts.Conflict c) {
            return Change.conflict(action, model, v.version(), current, c.production(), c.reason());
        }
        return Change.refused(action, model, v.version(), current, ((Rollouts.Refused) result).reason());
    }

    /** A policy whose first share is {@code share}: a canary's later steps are those above it, a shadow's share it. */
    private static RolloutPolicy startingAt(RolloutPolicy policy, double share) {
        if (!policy.canary()) {
            return new RolloutPolicy(policy.strategy(), share, policy.steps(), policy.stepMinutes(),
                    policy.minRequests(), policy.minLabels(), policy.metric(), policy.margin(), policy.guardrail());
        }
        List<Double> steps = new ArrayList<>();
        steps.add(share);
        policy.steps().stream().filter(s -> s > share).forEach(steps::add);
        return policy.withSteps(steps);
    }

    /** {@code abort_rollout}: the challenger retired, all traffic back on production. */
    public Change abortRollout(RegistryCommand.AbortRollout op) {
        String reason = text(op.reason(), "reason");
        String why = reason != null ? reason : "aborted by " + op.actor();
        return onRollout(AuditAction.ROLLOUT_ABORT, op.model(), op.challenger(), r -> rollouts.abort(r, op.actor(), why));
    }

    /** {@code promote_rollout}: the challenger becomes production now, from the production it was compared with. */
    public Change promoteRollout(RegistryCommand.PromoteRollout op) {
        String reason = text(op.reason(), "reason");
        return onRollout(AuditAction.PROMOTE, op.model(), op.challenger(), r -> {
            ready(named.find(r.model(), r.challenger()));
            String why = reason != null ? reason : "rollout promoted by " + op.actor() + " (" + r.describe() + ")";
            return rollouts.promote(r, op.actor(), why, Map.of());
        });
    }

    /**
     * A person's change of the rollout under way: tried again (up to {@value #ROLLOUT_ATTEMPTS} times) when only the
     * check's evidence was written meanwhile, a conflict when the rollout itself changed.
     */
    private Change onRollout(AuditAction action, String name, Integer expectedChallenger,
                             java.util.function.Function<Rollout, Rollouts.Result> change) {
        String model = NamedVersions.require("model", name);
        named.all(model);
        Rollouts.Result result = null;
        for (int attempt = 0; attempt < ROLLOUT_ATTEMPTS; attempt++) {
            Integer current = production.version(model);
            Optional<Rollout> active = rollouts.active(model);
            if (active.isEmpty()) {
                String last = rollouts.last(model).map(r -> ": the last one, of v" + r.challenger() + ", ended "
                        + r.status() + (r.endReason() == null ? "" : " (" + r.endReason() + ")")).orElse("");
                return Change.refused(action, model, expectedChallenger, current, "model " + model
                        + " has no rollout under way" + last);
            }
            Rollout r = active.get();
            if (expectedChallenger != null && expectedChallenger != r.challenger()) {
                return Change.conflict(action, model, expectedChallenger, current, current, "the rollout under way is"
                        + " of v" + r.challenger() + ", not v" + expectedChallenger + "; nothing changed");
            }
            result = change.apply(r);
            if (result instanceof Rollouts.Changed c) {
                Integer after = production.version(model);
                return Change.changed(action, model, r.challenger(), current, after, false, action == AuditAction.PROMOTE
                        ? "production v" + r.production() + " -> v" + r.challenger() + " (" + r.strategy()
                        + " rollout promoted)" : c.entry().reason() + "; all traffic on production " + describe(after));
            }
            if (result instanceof Rollouts.Refused refused) {
                return Change.refused(action, model, r.challenger(), current, refused.reason());
            }
            Rollouts.Conflict conflict = (Rollouts.Conflict) result;
            boolean sameRollout = conflict.now() != null && conflict.now().active()
                    && conflict.now().challenger() == r.challenger() && Objects.equals(conflict.production(), current);
            if (!sameRollout) {
                return Change.conflict(action, model, r.challenger(), current, conflict.production(), conflict.reason());
            }
        }
        Rollouts.Conflict last = (Rollouts.Conflict) result;
        return Change.conflict(action, model, expectedChallenger, last.production(), last.production(), last.reason());
    }

    // ------------------------------------------------------------------ rules

    /** A person's move of production, its events carrying the version's verdict. */
    private Change move(Production.Move move) {
        ModelVersion v = move.to();
        Production.Result result = production.move(move.announcing(Map.of("verdict", v.blessing().verdict().name())));
        if (result instanceof Production.Conflict conflict) {
            return Change.conflict(move.action(), v.model(), v.version(), move.expected(), conflict.production(),
                    "production is " + describe(conflict.production()) + ", not " + describe(move.expected())
                            + " as expected (it moved while this " + move.action() + " was on its way); nothing changed");
        }
        return Change.changed(move.action(), v.model(), v.version(), move.expected(), v.version(), move.forced(),
                "production " + describe(move.expected()) + " -> v" + v.version());
    }

    /** Why {@code v} may not serve, or null when it may. */
    private static String refusal(ModelVersion v, boolean force, String verb) {
        String name = "v" + v.version();
        if (v.approvalIs(ApprovalStatus.PENDING_APPROVAL)) {
            return name + " is PENDING_APPROVAL: use `models approve " + v.model() + " " + v.version()
                    + "` (it promotes from the champion it was blessed against) or `models reject`";
        }
        if (force) {
            return null;
        }
        if (v.approvalIs(ApprovalStatus.REJECTED)) {
            return name + " was REJECTED by " + v.approval().actor() + ": " + v.approval().reason()
                    + "; it can be " + verb + " only with --force and a reason";
        }
        if (!v.blessed()) {
            return name + " is NOT_BLESSED (" + v.blessing().reason() + "); it can be " + verb
                    + " only with --force and a reason";
        }
        return null;
    }

    /**
     * The version that served before the current one: production's history replayed from the audit
     * trail as a stack (a promotion or approval pushes, a rollback returns to an earlier entry), so
     * rolling back twice goes back twice.
     */
    Optional<Integer> previousProduction(String model, int current) {
        List<Integer> stack = new ArrayList<>();
        for (AuditEntry e : registry.auditTrail(model)) {
            if (!e.movedProduction()) {
                continue;
            }
            if (e.is(AuditAction.ROLLBACK) && stack.contains(e.toVersion())) {
                int last = stack.lastIndexOf(e.toVersion());
                stack.subList(last + 1, stack.size()).clear();
            } else {
                stack.add(e.toVersion());
            }
        }
        while (!stack.isEmpty() && stack.get(stack.size() - 1) == current) {
            stack.remove(stack.size() - 1);
        }
        return stack.isEmpty() ? Optional.empty() : Optional.of(stack.get(stack.size() - 1));
    }

    private void ready(ModelVersion v) {
        ArtifactLoader.Result result = artifacts.load(v.artifact());
        if (result instanceof ArtifactLoader.Unavailable u) {
            throw new IntegrityException("model " + v.model() + " v" + v.version() + ": " + u.detail());
        }
    }

    private static void requireForceReason(boolean force, String reason) {
        if (force && (reason == null || reason.isBlank())) {
            throw new ContractException("field \"reason\": --force needs a reason, which the audit trail keeps");
        }
    }

    private static String text(String value, String field) {
        if (value != null && value.length() > MAX_TEXT) {
            throw new ContractException("field \"" + field + "\": at most " + MAX_TEXT + " characters");
        }
        return value;
    }
}

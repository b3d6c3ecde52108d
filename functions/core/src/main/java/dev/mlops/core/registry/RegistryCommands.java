package dev.mlops.core.registry;

import dev.mlops.core.domain.Approval;
import dev.mlops.core.domain.ApprovalStatus;
import dev.mlops.core.domain.AuditAction;
import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.RegistryEvent;
import dev.mlops.core.errors.ContractException;
import dev.mlops.core.errors.IntegrityException;
import dev.mlops.core.model.ArtifactLoader;
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
 * tag. The same rules as the pipeline's {@link RegistryService}: production moves only through {@link
 * Production#move} (a compare-and-set from the version the caller saw, audited once with who, when, from, to
 * and why, and announced on the event bus); only a blessed version that is not rejected can serve, unless a
 * person forces it with a reason (audited as forced). Conflicts and refusals are answers ({@link Change}), not
 * errors: nothing was changed.
 */
public final class RegistryCommands {

    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9_.:/-]{1,128}");
    private static final int MAX_TAG_VALUE = 256;
    private static final int MAX_TEXT = 1000;

    private final ModelRegistry registry;
    private final RegistryEvents events;
    private final ArtifactLoader artifacts;
    private final Clock clock;
    private final NamedVersions named;
    private final Production production;

    public RegistryCommands(ObjectStore store, ModelRegistry registry, RegistryEvents events, Clock clock) {
        this.registry = registry;
        this.events = events;
        this.artifacts = new ArtifactLoader(store);
        this.clock = clock;
        this.named = new NamedVersions(registry);
        this.production = new Production(registry, events, clock);
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

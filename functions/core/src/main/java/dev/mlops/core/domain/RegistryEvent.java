package dev.mlops.core.domain;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A change in the model registry, as published to the event bus (source {@value #SOURCE}): its
 * detail-type says what happened, its detail carries the model, the version and the why.
 *
 * @param detailType what happened: one of the constants of this record
 * @param model      the model
 * @param version    the version it is about (for moves of production: the version that serves now)
 * @param at         when
 * @param detail     the rest of the detail (actor, reason, from/to versions, verdict, ...)
 */
public record RegistryEvent(String detailType, String model, Integer version, Instant at, Map<String, Object> detail) {

    /** The event source of every registry event. */
    public static final String SOURCE = "mlops.registry";

    public static final String REGISTERED = "Model Version Registered";
    public static final String BLESSED = "Model Version Blessed";
    public static final String NOT_BLESSED = "Model Version Not Blessed";
    public static final String PENDING_APPROVAL = "Model Version Pending Approval";
    public static final String APPROVED = "Model Version Approved";
    public static final String REJECTED = "Model Version Rejected";
    public static final String PROMOTED = "Model Promoted";
    public static final String ROLLED_BACK = "Model Rolled Back";
    public static final String TAGGED = "Model Version Tagged";
    public static final String ROLLOUT_STARTED = "Model Rollout Started";
    public static final String ROLLOUT_STEPPED = "Model Rollout Stepped";
    public static final String ROLLOUT_ABORTED = "Model Rollout Aborted";
    public static final String ROLLOUT_PROMOTED = "Model Rollout Promoted";

    public RegistryEvent {
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(detail));
    }

    /** The event's JSON detail: model and version first, then the rest; null values left out. */
    public Map<String, Object> detailDocument() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        if (version != null) {
            out.put("version", version);
        }
        out.put("at", at.toString());
        detail.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The event of an audited change: actor, from, to, reason and forced from the audit entry. */
    public static RegistryEvent of(String detailType, AuditEntry audit, Map<String, Object> more) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("action", audit.action());
        detail.put("actor", audit.actor());
        detail.put("from_version", audit.fromVersion());
        detail.put("to_version", audit.toVersion());
        detail.put("reason", audit.reason());
        detail.put("forced", audit.forced());
        if (more != null) {
            detail.putAll(more);
        }
        return new RegistryEvent(detailType, audit.model(), audit.toVersion(), audit.at(), detail);
    }
}

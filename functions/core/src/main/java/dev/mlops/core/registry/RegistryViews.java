package dev.mlops.core.registry;

import dev.mlops.core.domain.AuditEntry;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;

import java.util.List;
import java.util.Map;

/** What the registry's questions ({@link RegistryQuery}) answer, one record per answer. */
public final class RegistryViews {

    private RegistryViews() {
    }

    /** One line of {@code models list}. */
    public record ModelSummary(String model, int versions, int latestVersion, Integer productionVersion,
                               String approvalPolicy, List<Integer> pendingApproval) {
    }

    /** {@code list_models}. */
    public record ModelList(List<ModelSummary> models) {
    }

    /** One version as {@code models show NAME} lists it. */
    public record VersionSummary(int version, String createdAt, String verdict, String reason, double accuracy,
                                 double macroF1, String approval, Map<String, String> tags, boolean production,
                                 String runId, String datasetVersion) {
    }

    /** {@code show_model} without a version. */
    public record ModelDetail(String model, Integer productionVersion, String approvalPolicy,
                              List<VersionSummary> versions) {
    }

    /** {@code show_model} with a version: the version as registered, and whether it serves. */
    public record VersionDetail(ModelVersion version, boolean production, Integer productionVersion,
                                String approvalPolicy) {
    }

    /** {@code model_history}. */
    public record History(String model, Integer productionVersion, List<AuditEntry> entries) {
    }

    /** {@code model_lineage}: a version back to the bytes it was made from. */
    public record Lineage(String model, int version, Map<String, Object> dataset, Map<String, Object> run,
                          Map<String, Object> candidate, Map<String, Object> artifact, Map<String, Object> blessing) {
    }

    /** One model version trained on a dataset version. */
    public record TrainedVersion(String model, int version, String runId, String verdict, String approval,
                                 boolean production, String sha256) {
    }

    /** {@code dataset_lineage}. */
    public record DatasetLineage(String dataset, String version, String status, Long rows, String sourceKey,
                                 String sourceVersionId, List<TrainedVersion> models) {
    }

    /**
     * {@code show_rollout}: production, and the model's rollout (under way, or the last that ended; null when it
     * never had one) with its last check's decision and evidence.
     */
    public record RolloutView(String model, Integer productionVersion, boolean active, Rollout rollout) {
    }
}

package dev.mlops.core.ports.contract;

import dev.mlops.core.model.ArtifactRef;
import dev.mlops.core.domain.Blessing;
import dev.mlops.core.domain.BlessingVerdict;
import dev.mlops.core.domain.DatasetStatus;
import dev.mlops.core.domain.DatasetVersion;
import dev.mlops.core.domain.Lineage;
import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RolloutEvidence;
import dev.mlops.core.domain.Run;
import dev.mlops.core.domain.TrainingSummary;
import dev.mlops.core.pipeline.BlessingPolicy;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.RolloutPolicy;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.core.pipeline.SourceObject;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.model.task.Classification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Domain records for contract tests, every field filled so a lossy adapter shows. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A fresh name, so tests sharing one emulator do not see each other's records. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static RunRequest request(String runId, String model) {
        return new RunRequest(runId, "ds", "ab".repeat(32), model, "label",
                new SourceObject("bucket", "incoming/ds/file.csv", "v1", "ab".repeat(32)),
                List.of(CandidateSpec.defaultLogisticRegression()), new BlessingPolicy(Classification.MACRO_F1, 0.01));
    }

    /** A run of {@code dataset} started at {@code at}. */
    public static Run run(String runId, String model, String dataset, Instant at) {
        RunRequest r = request(runId, model);
        return Run.started(new RunRequest(runId, dataset, r.datasetVersion(), model, r.label(), r.source(),
                r.candidates(), r.blessing()), "arn:aws:states:us-east-1:0:execution:m:" + runId, 1, null, at);
    }

    public static Run run(String runId, String model) {
        return Run.started(request(runId, model), "arn:aws:states:us-east-1:0:execution:m:" + runId, 1, null,
                Instant.parse("2026-11-27T10:00:00.123456Z"));
    }

    public static DatasetVersion dataset(String dataset, String version, Instant at) {
        return new DatasetVersion(dataset, version, DatasetStatus.VALID, 150, 5, "label", "incoming/" + dataset + "/f.csv",
                "v1", "datasets/" + dataset + "/" + version + "/validation.json",
                "datasets/" + dataset + "/" + version + "/profile.json",
                "datasets/" + dataset + "/" + version + "/schema.json", at,
                "datasets/" + dataset + "/" + version + "/report.html", 0, 2);
    }

    public static ModelVersion version(String model, String runId, Integer champion) {
        return new ModelVersion(model, 0, Instant.parse("2026-11-27T10:00:00Z"),
                new Lineage(runId, "ds", "ab".repeat(32), new SourceObject("bucket", "incoming/ds/f.csv", "v1",
                        "ab".repeat(32)), "label", "datasets/ds/x/profile.json"),
                new ArtifactRef("models/" + model + "/runs/" + runId + "/0/model.tribuo", "cd".repeat(32),
                        "org.tribuo.transform.TransformedModel", "sig.json", "metrics.json", "prov.json"),
                new TrainingSummary("logistic-regression", Map.of("epochs", "50"), SplitSpec.rowHash(42, 0.3),
                        0.9111111111111111, 0.9107142857142857, 105, 45),
                new Blessing(BlessingVerdict.BLESSED, "accuracy 0.9 vs champion v1 0.8", Classification.ACCURACY, 0.0,
                        champion, 0.9, champion == null ? null : 0.8, champion == null ? null : 45));
    }

    /** A canary of v2 beside production v1 with every field filled, checked once. */
    public static Rollout rollout(String model) {
        RolloutPolicy policy = new RolloutPolicy(RolloutPolicy.CANARY, 0.5, List.of(0.1, 0.25, 1.0), 30, 150, 40,
                Classification.MACRO_F1, 0.01, new RolloutPolicy.Guardrail(0.02, 0.03, 25));
        Instant at = Instant.parse("2026-11-27T10:00:00.123456789Z");
        RolloutEvidence.Estimate e = new RolloutEvidence.Estimate(0.9375, 0.8125, 0.984375);
        RolloutEvidence evidence = new RolloutEvidence(at, at.plusSeconds(3600), 900, 100, 1, e, 99, e, e,
                Classification.MACRO_F1, 64, e, e, new RolloutEvidence.Estimate(-0.015625, -0.0625, 0.03125));
        return Rollout.start(model, 2, 1, policy, at, "run-2", "BLESSED: accuracy 0.9 vs 0.8", null)
                .checked(new Rollout.Check("20261127T110000Z-abcd", at.plusSeconds(3600), "CONTINUE",
                        "64 of 40 labelled", "monitoring/" + model + "/c/drift.json", evidence));
    }
}

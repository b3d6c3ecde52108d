package dev.mlops.core.train;

import dev.mlops.core.model.ModelArtifact;
import dev.mlops.core.model.ModelSignature;
import dev.mlops.core.model.task.Metrics;

import java.util.List;
import java.util.Map;

/**
 * Everything training one candidate produces.
 *
 * @param artifact        the serialised model
 * @param signature       its input/output description
 * @param metrics         metrics on the held-out test rows
 * @param provenanceJson  Tribuo's model provenance as a JSON object
 * @param validation      metrics on the validation rows (of the model fitted on the training rows only); null
 *                        when the split has no validation rows
 * @param hyperParameters every hyper-parameter the trainer used, defaults included
 * @param fitMillis       wall time of fitting the shipped model, without evaluation
 * @param refitted        whether the artifact was refitted on training + validation rows
 * @param moves           rows the rare-class rule moved between partitions (empty for most datasets)
 * @param selectionMillis wall time spent producing the validation scores (the first fit when refitting, the
 *                        folds' fits when cross-validating; 0 when validating the shipped model itself)
 * @param folds           0 when validation rows were scored, k for k-fold cross-validation
 */
public record TrainingResult(ModelArtifact artifact, ModelSignature signature, Metrics metrics, String provenanceJson,
                             Metrics validation, Map<String, String> hyperParameters, long fitMillis,
                             boolean refitted, List<RareClasses.Move> moves, long selectionMillis, int folds) {

    /** Copies. */
    public TrainingResult {
        hyperParameters = hyperParameters == null ? Map.of() : Map.copyOf(hyperParameters);
        moves = moves == null ? List.of() : List.copyOf(moves);
    }
}

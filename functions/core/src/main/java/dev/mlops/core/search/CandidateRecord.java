package dev.mlops.core.search;

import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.train.RareClasses.Move;
import dev.mlops.core.train.RareClasses;

import java.util.List;
import java.util.Map;

/**
 * The experiment-tracking record of one candidate of one run, written by training as
 * {@code models/<model>/runs/<run>/<index>/candidate.json} (also for a skipped candidate): what was
 * trained with which parameters, how it scored, how long it took, and which artifact it produced.
 * The leaderboard of a run ({@code ./mlops runs show}) is these records, ranked; the model card of
 * the registered version embeds the winner's.
 *
 * @param runId             the run
 * @param candidateIndex    position in the run's candidates
 * @param status            TRAINED or SKIPPED
 * @param reason            why it was skipped
 * @param spec              the candidate as requested (family, seed, split, given hyper-parameters, selection
 *                          metric, refit)
 * @param hyperParameters   every hyper-parameter the trainer used, defaults included
 * @param validation        validation metrics summary (accuracy, macro_f1, log_loss, roc_auc, rows); null when
 *                          the split has no validation rows or the candidate was skipped
 * @param test              test metrics summary; null when skipped
 * @param selectionScore    the validation score on the selection metric
 * @param fitMillis         wall time of fitting
 * @param trainRows         rows the shipped model trained on
 * @param artifactKey       the model
 * @param sha256            its sha256
 * @param modelClass        its Tribuo class
 * @param artifactBytes     its size
 * @param provenanceKey     Tribuo's provenance of the model (JSON)
 * @param metricsKey        full metrics (per class, confusion matrix) of validation and test
 * @param signatureKey      the signature
 * @param movedRows         rows the rare-class rule moved (see {@link RareClasses}), by row hash
 * @param libraries         library versions (tribuo, java, xgboost4j where used)
 * @param startedAt         when the training function started on it (wall clock; shows the Map's parallelism)
 * @param endedAt           when it finished
 */
public record CandidateRecord(String runId, int candidateIndex, String status, String reason, CandidateSpec spec,
                              Map<String, String> hyperParameters, Map<String, Object> validation,
                              Map<String, Object> test, Double selectionScore, Long fitMillis, Integer trainRows,
                              String artifactKey, String sha256, String modelClass, Long artifactBytes,
                              String provenanceKey, String metricsKey, String signatureKey, List<Move> movedRows,
                              Map<String, String> libraries, java.time.Instant startedAt,
                              java.time.Instant endedAt) {

    /** The full metrics document ({@code metrics.json}) of a candidate. */
    public record MetricsDocument(String selectionMetric, Metrics validation, Metrics test, List<Move> movedRows) {
    }
}

package dev.mlops.core.search;

import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.pipeline.CandidateSpec;
import dev.mlops.core.pipeline.TrainedCandidate;
import dev.mlops.core.train.Libraries;
import dev.mlops.core.train.RareClasses.Move;
import dev.mlops.core.train.RareClasses;
import dev.mlops.core.train.TrainingResult;

import java.time.Instant;
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
                              Map<String, String> libraries, Instant startedAt,
                              Instant endedAt) {

    /** The full metrics document ({@code metrics.json}) of a candidate. */
    public record MetricsDocument(String selectionMetric, Metrics validation, Metrics test, List<Move> movedRows) {

        /** The document of a trained candidate. */
        public static MetricsDocument of(String selectionMetric, TrainingResult r) {
            return new MetricsDocument(selectionMetric, r.validation(), r.metrics(), r.moves());
        }
    }

    /** The documents of a trained candidate, under its folder (a run's {@code <index>/}, or a local search's). */
    static final String MODEL = "model.tribuo";
    static final String SIGNATURE = "signature.json";
    static final String METRICS = "metrics.json";
    static final String PROVENANCE = "provenance.json";

    /**
     * The record of a candidate that trained.
     *
     * @param prefix where its documents are ({@link #MODEL}, {@link #SIGNATURE}, ... under it)
     */
    static CandidateRecord trained(String runId, int candidateIndex, CandidateSpec spec, TrainingResult r,
                                   String prefix, Instant startedAt, Instant endedAt) {
        Metrics v = r.validation();
        return new CandidateRecord(runId, candidateIndex, TrainedCandidate.TRAINED, null, spec, r.hyperParameters(),
                v == null ? null : v.summary(), r.metrics().summary(), v == null ? null : v.score(spec.selectionMetric()),
                r.fitMillis(), r.metrics().trainRows(), prefix + MODEL, r.artifact().sha256(), r.artifact().modelClass(),
                (long) r.artifact().bytes().length, prefix + PROVENANCE, prefix + METRICS, prefix + SIGNATURE, r.moves(),
                Libraries.versions(Family.require(spec.algorithm())), startedAt, endedAt);
    }

    /** The record of a candidate that could not run here (its family's native library does not load), with the reason. */
    static CandidateRecord skipped(String runId, int candidateIndex, CandidateSpec spec, String reason,
                                   Instant startedAt, Instant endedAt) {
        return new CandidateRecord(runId, candidateIndex, TrainedCandidate.SKIPPED, reason, spec, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, startedAt, endedAt);
    }

    /**
     * What the training step tells the pipeline about this candidate, from its record: pointers and scores, the
     * ranking's inputs.
     *
     * @param recordKey where the record is stored (null: not stored)
     */
    public TrainedCandidate toTrainedCandidate(String recordKey) {
        if (!TrainedCandidate.TRAINED.equals(status)) {
            return TrainedCandidate.skipped(candidateIndex, spec, reason, recordKey);
        }
        Double acc = number(test, Classification.ACCURACY);
        Double f1 = number(test, Classification.MACRO_F1);
        Double rows = number(test, "rows");
        return new TrainedCandidate(candidateIndex, spec, artifactKey, sha256, modelClass, signatureKey, metricsKey,
                provenanceKey, acc == null ? 0 : acc, f1 == null ? 0 : f1, trainRows == null ? 0 : trainRows,
                rows == null ? 0 : rows.intValue(), TrainedCandidate.TRAINED, null, selectionScore,
                number(validation, Classification.ACCURACY), number(validation, Classification.MACRO_F1),
                number(validation, "log_loss"), fitMillis, recordKey);
    }

    /** A number of a metrics summary, or null. */
    static Double number(Map<String, Object> summary, String key) {
        return summary == null || !(summary.get(key) instanceof Number n) ? null : n.doubleValue();
    }
}

package dev.mlops.core.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;
import dev.mlops.core.Layout;
import dev.mlops.core.domain.Rollout;
import dev.mlops.core.domain.RolloutEvidence;
import dev.mlops.core.drift.NumericDrift;
import dev.mlops.core.model.task.Classification;
import dev.mlops.core.model.task.Metrics;
import dev.mlops.core.ports.ObjectStore;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * A rollout's evidence ({@link RolloutEvidence}) from the captured requests since it started: the captures that hold
 * both versions' answers (one answered, the other scored in the shadow), and the ground truth that came back for
 * them. Rates get Wilson intervals; the prediction drift, the live metric and the gain get percentile bootstrap
 * intervals ({@value #RESAMPLES} resamples of the compared rows, seeded: the same captures give the same figures;
 * a few lines, as no library on the classpath resamples paired rows through the task's own metric).
 */
final class RolloutEvidenceReader {

    static final int RESAMPLES = 400;
    /** Most compared rows one check keeps (the rest still counted). */
    static final int MAX_ROWS = 200_000;

    /** Both answers to one row, and its ground truth when it came (null otherwise). */
    private record Pair(String challenger, String production, String actual) {
    }

    private RolloutEvidenceReader() {
    }

    /**
     * @param labels ground truth received since the rollout started: request id → instance → label
     * @param end    captures written at or before this
     */
    static RolloutEvidence read(ObjectStore store, Rollout rollout, Map<String, Map<Integer, String>> labels,
                                Instant end) {
        String prefix = Layout.capturePrefix(rollout.model());
        Instant start = rollout.startedAt();
        long productionRequests = 0;
        long challengerRequests = 0;
        long challengerErrors = 0;
        long compared = 0;
        List<Pair> pairs = new ArrayList<>();
        for (ObjectStore.ObjectInfo object : store.list(prefix, Layout.timedStartAfter(prefix, start))) {
            Optional<Instant> written = Layout.keyTime(object.key());
            if (written.isEmpty()) {
                continue;
            }
            if (written.get().isAfter(end)) {
                break;
            }
            for (JsonNode r : records(store, object.key())) {
                Instant at = Instant.parse(r.path("timestamp").asText(Instant.EPOCH.toString()));
                if (at.isBefore(start)) {
                    continue;
                }
                int answered = r.path("model_version").asInt();
                JsonNode shadow = r.get("shadow");
                if (shadow == null) {
                    productionRequests += answered == rollout.production() ? 1 : 0;
                    challengerRequests += answered == rollout.challenger() ? 1 : 0;
                    continue;
                }
                boolean challengerAnswered = answered == rollout.challenger();
                JsonNode challenger = challengerAnswered ? r.path("predictions") : shadow.path("predictions");
                JsonNode production = challengerAnswered ? shadow.path("predictions") : r.path("predictions");
                challengerRequests++;
                if (!challengerAnswered && shadow.hasNonNull("error")) {
                    challengerErrors++;
                    continue;
                }
                if (!challenger.isArray() || !production.isArray()) {
                    continue; // production could not score the challenger's request: nothing to compare
                }
                Map<Integer, String> truth = labels.get(r.path("request_id").asText());
                for (int i = 0; i < Math.min(challenger.size(), production.size()); i++) {
                    compared++;
                    if (pairs.size() < MAX_ROWS) {
                        pairs.add(new Pair(challenger.get(i).path("label").asText(),
                                production.get(i).path("label").asText(), truth == null ? null : truth.get(i)));
                    }
                }
            }
        }
        String metric = rollout.policy().metric();
        List<Pair> labelled = pairs.stream().filter(p -> p.actual() != null).toList();
        long agree = pairs.stream().filter(p -> p.challenger().equals(p.production())).count();
        RolloutEvidence.Estimate[] scores = labelled.isEmpty() ? new RolloutEvidence.Estimate[3]
                : scores(labelled, metric);
        return new RolloutEvidence(start, end, productionRequests, challengerRequests, challengerErrors,
                challengerRequests == 0 ? null : wilson(challengerErrors, challengerRequests), compared,
                pairs.isEmpty() ? null : wilson(agree, pairs.size()), pairs.isEmpty() ? null : drift(pairs), metric,
                labelled.size(), scores[0], scores[1], scores[2]);
    }

    /** One capture batch's records; a damaged batch is skipped (the drift check's own pass names it). */
    private static List<JsonNode> records(ObjectStore store, String key) {
        Optional<ObjectStore.StoredObject> found = store.find(key);
        if (found.isEmpty()) {
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>();
        InputStream raw = new ByteArrayInputStream(found.get().bytes());
        try (InputStream in = key.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    /** Jensen-Shannon distance between the two versions' predicted labels, with its bootstrap interval. */
    private static RolloutEvidence.Estimate drift(List<Pair> pairs) {
        Map<String, Integer> classes = new LinkedHashMap<>();
        for (Pair p : pairs) {
            classes.putIfAbsent(p.challenger(), classes.size());
            classes.putIfAbsent(p.production(), classes.size());
        }
        int n = pairs.size();
        int[] c = new int[n];
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            c[i] = classes.get(pairs.get(i).challenger());
            q[i] = classes.get(pairs.get(i).production());
        }
        double value = js(c, q, null, classes.size());
        SplittableRandom random = new SplittableRandom(0x6d6c6f7073L);
        double[] resampled = new double[RESAMPLES];
        int[] draw = new int[n];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) {
                draw[i] = random.nextInt(n);
            }
            resampled[b] = js(c, q, draw, classes.size());
        }
        return interval(value, resampled);
    }

    private static double js(int[] c, int[] q, int[] draw, int k) {
        double[] pc = new double[k];
        double[] pq = new double[k];
        for (int i = 0; i < c.length; i++) {
            int row = draw == null ? i : draw[i];
            pc[c[row]]++;
            pq[q[row]]++;
        }
        return NumericDrift.jensenShannonDistance(pc, pq);
    }

    /**
     * The challenger's and production's live metric on the same labelled rows, and the gain (challenger minus
     * production, signed so that above 0 is better), each with a bootstrap interval that resamples the rows in pairs.
     */
    private static RolloutEvidence.Estimate[] scores(List<Pair> labelled, String metric) {
        Classification task = Classification.TASK;
        double sign = task.higherIsBetter(metric) ? 1 : -1;
        double[] point = score(labelled, null, metric);
        SplittableRandom random = new SplittableRandom(0x6d6c6f7073L);
        int n = labelled.size();
        double[][] resampled = new double[3][RESAMPLES];
        int[] draw = new int[n];
        for (int b = 0; b < RESAMPLES; b++) {
            for (int i = 0; i < n; i++) {
                draw[i] = random.nextInt(n);
            }
            double[] s = score(labelled, draw, metric);
            resampled[0][b] = s[0];
            resampled[1][b] = s[1];
            resampled[2][b] = sign * (s[0] - s[1]);
        }
        return new RolloutEvidence.Estimate[] {interval(point[0], resampled[0]), interval(point[1], resampled[1]),
                interval(sign * (point[0] - point[1]), resampled[2])};
    }

    private static double[] score(List<Pair> rows, int[] draw, String metric) {
        int n = rows.size();
        List<String> actual = new ArrayList<>(n);
        List<String> challenger = new ArrayList<>(n);
        List<String> production = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Pair p = rows.get(draw == null ? i : draw[i]);
            actual.add(p.actual());
            challenger.add(p.challenger());
            production.add(p.production());
        }
        Metrics c = Classification.TASK.evaluateLabels(actual, challenger);
        Metrics q = Classification.TASK.evaluateLabels(actual, production);
        return new double[] {c.score(metric), q.score(metric)};
    }

    /** The 2.5th and 97.5th percentiles of the resamples around the point estimate. */
    private static RolloutEvidence.Estimate interval(double value, double[] resampled) {
        double[] sorted = resampled.clone();
        Arrays.sort(sorted);
        int low = (int) Math.floor(0.025 * (sorted.length - 1));
        int high = (int) Math.ceil(0.975 * (sorted.length - 1));
        return new RolloutEvidence.Estimate(value, Math.min(value, sorted[low]), Math.max(value, sorted[high]));
    }

    /** A proportion with its Wilson score interval. */
    static RolloutEvidence.Estimate wilson(long successes, long n) {
        double[] interval = LiveQuality.wilson(successes, n);
        return new RolloutEvidence.Estimate((double) successes / n, interval[0], interval[1]);
    }
}

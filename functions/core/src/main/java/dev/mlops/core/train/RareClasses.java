package dev.mlops.core.train;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.Split;
import dev.mlops.core.data.SplitSpec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Stratification where classes are rare, without giving up what makes the blessing fair.
 *
 * <p>The row-hash partition ({@link SplitSpec}) puts a row in the same partition in every version of
 * a dataset, but for a class of a few dozen rows the share that lands in each partition can be far
 * from the fractions (a class of 8 rows has no test row one time in six at 20%). A class is <em>rare</em>
 * when fewer than {@value #RARE_EXPECTED_ROWS} of its rows are expected in the test or the validation
 * partition ({@code n × fraction}); for every rare class, rows are moved towards the target counts
 * ({@code round(n × fraction)} for test and validation), with one rule that keeps champion
 * comparisons fair: <b>a row the hash puts in TEST never leaves TEST</b>. So rows only move
 * TRAIN → TEST, TRAIN → VALIDATION and VALIDATION → TRAIN; every row {@link SplitSpec#partitionOf}
 * calls TEST is still held out by every model, and a row moved into TEST is simply not among the
 * rows {@code ChampionComparison} uses (it asks the hash, which says TRAIN). A class keeps at least
 * one training row. The rows moved are chosen by their hash position (those nearest the boundary
 * first), so the choice does not depend on the file's order, and they are recorded by row hash in
 * the candidate's metrics.
 */
public final class RareClasses {

    /** A class expecting fewer of its rows than this in a held-out partition is stratified. */
    static final int RARE_EXPECTED_ROWS = 10;

    /** One row moved between partitions: its hash under the split spec (hex), its class, from and to. */
    public record Move(String rowHash, String label, SplitSpec.Partition from, SplitSpec.Partition to) {
    }

    /** The adjusted split and what moved. */
    record Adjusted(Split split, List<Move> moves) {
    }

    private RareClasses() {
    }

    static Adjusted adjust(CsvTable table, Schema schema, SplitSpec spec, Split split) {
        int[] columns = SplitSpec.columns(table, schema);
        int label = columns[columns.length - 1];
        Map<String, Integer> counts = new TreeMap<>();
        for (List<Integer> part : List.of(split.trainRows(), split.validationRows(), split.testRows())) {
            part.forEach(r -> counts.merge(table.rows().get(r).get(label).trim(), 1, Integer::sum));
        }
        double smallest = spec.validationFraction() > 0
                ? Math.min(spec.testFraction(), spec.validationFraction()) : spec.testFraction();
        java.util.function.IntPredicate rare = n -> n * smallest < RARE_EXPECTED_ROWS;
        if (counts.values().stream().noneMatch(rare::test)) {
            return new Adjusted(split, List.of());
        }
        record Row(int index, double unit, long hash) {
        }
        Map<String, List<Row>> train = new TreeMap<>();
        Map<String, List<Row>> validation = new TreeMap<>();
        Map<String, Integer> test = new TreeMap<>();
        Map<Integer, Row> byIndex = new LinkedHashMap<>();
        for (List<Integer> part : List.of(split.trainRows(), split.validationRows())) {
            for (int r : part) {
                List<String> cells = SplitSpec.cells(table.rows().get(r), columns);
                Row row = new Row(r, spec.unitOf(cells), spec.hashOf(cells));
                byIndex.put(r, row);
                String c = table.rows().get(r).get(label).trim();
                (part == split.trainRows() ? train : validation).computeIfAbsent(c, k -> new ArrayList<>()).add(row);
            }
        }
        for (int r : split.testRows()) {
            test.merge(table.rows().get(r).get(label).trim(), 1, Integer::sum);
        }
        java.util.TreeSet<String> classes = new java.util.TreeSet<>(train.keySet());
        classes.addAll(validation.keySet());
        classes.addAll(test.keySet());

        List<Move> moves = new ArrayList<>();
        java.util.Set<Integer> toTest = new java.util.HashSet<>();
        java.util.Set<Integer> toValidation = new java.util.HashSet<>();
        java.util.Set<Integer> toTrain = new java.util.HashSet<>();
        Comparator<Row> nearestHeldOut = Comparator.comparingDouble(Row::unit).thenComparingLong(Row::hash)
                .thenComparingInt(Row::index);
        for (String c : classes) {
            List<Row> tr = new ArrayList<>(train.getOrDefault(c, List.of()));
            List<Row> va = new ArrayList<>(validation.getOrDefault(c, List.of()));
            int te = test.getOrDefault(c, 0);
            int n = tr.size() + va.size() + te;
            if (!rare.test(n)) {
                continue;
            }
            tr.sort(nearestHeldOut);
            va.sort(nearestHeldOut.reversed());
            int targetTest = (int) Math.round(n * spec.testFraction());
            int targetValidation = (int) Math.round(n * spec.validationFraction());
            while (te < targetTest && tr.size() > 1) {
                Row r = tr.remove(0);
                toTest.add(r.index());
                moves.add(move(r.hash(), c, SplitSpec.Partition.TRAIN, SplitSpec.Partition.TEST));
                te++;
            }
            while (va.size() < targetValidation && tr.size() > 1) {
                Row r = tr.remove(0);
                toValidation.add(r.index());
                moves.add(move(r.hash(), c, SplitSpec.Partition.TRAIN, SplitSpec.Partition.VALIDATION));
                va.add(0, r);
            }
            int targetTrain = n - Math.max(te, targetTest) - targetValidation;
            while (!va.isEmpty() && (tr.isEmpty() || (tr.size() < targetTrain && va.size() > targetValidation))) {
                Row r = va.remove(0);
                toTrain.add(r.index());
                moves.add(move(r.hash(), c, SplitSpec.Partition.VALIDATION, SplitSpec.Partition.TRAIN));
                tr.add(r);
            }
        }
        if (moves.isEmpty()) {
            return new Adjusted(split, List.of());
        }
        List<Row> newTrain = new ArrayList<>();
        List<Integer> newValidation = new ArrayList<>();
        List<Integer> newTest = new ArrayList<>(split.testRows());
        java.util.Set<Integer> wasTrain = new java.util.HashSet<>(split.trainRows());
        for (Row r : byIndex.values()) {
            if (toTest.contains(r.index())) {
                newTest.add(r.index());
            } else if (toValidation.contains(r.index())) {
                newValidation.add(r.index());
            } else if (toTrain.contains(r.index()) || wasTrain.contains(r.index())) {
                newTrain.add(r);
            } else {
                newValidation.add(r.index());
            }
        }
        // Training rows stay in hash order, as SplitSpec.split gives them.
        newTrain.sort(Comparator.comparingLong(Row::hash).thenComparingInt(Row::index));
        newValidation.sort(Integer::compare);
        newTest.sort(Integer::compare);
        return new Adjusted(new Split(newTrain.stream().map(Row::index).toList(), newValidation, newTest),
                List.copyOf(moves));
    }

    private static Move move(long hash, String label, SplitSpec.Partition from, SplitSpec.Partition to) {
        return new Move(HexFormat.of().toHexDigits(hash), label, from, to);
    }
}

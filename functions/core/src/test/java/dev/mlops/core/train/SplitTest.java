package dev.mlops.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SplitTest {

    @Test
    void stratified_shouldBeDeterministicDisjointCompleteAndStratified() {
        // GIVEN
        CsvTable pima = TestTables.file("../../data/pima.csv");
        Schema s = Schema.infer(pima, "diabetes");
        // WHEN
        Split a = Split.stratified(pima, s, 42, 0.3);
        Split b = Split.stratified(pima, s, 42, 0.3);
        Split c = Split.stratified(pima, s, 43, 0.3);
        // THEN
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
        Set<Integer> all = new HashSet<>(a.trainRows());
        all.addAll(a.testRows());
        assertThat(all).hasSize(768);
        assertThat(a.trainRows()).doesNotContainAnyElementsOf(a.testRows()).isSorted();
        Map<String, Long> testByClass = a.testRows().stream()
                .collect(Collectors.groupingBy(r -> pima.cell(r, "diabetes"), Collectors.counting()));
        Map<String, Long> allByClass = pima.rows().stream()
                .collect(Collectors.groupingBy(r -> r.get(8), Collectors.counting()));
        allByClass.forEach((cls, n) -> assertThat((double) testByClass.get(cls)).isCloseTo(n * 0.3, within(1.0)));
    }

    @Test
    void stratified_shouldKeepEachClassOnBothSides() {
        // GIVEN
        CsvTable t = TestTables.of("x,label\n1,a\n2,a\n3,b\n4,b\n5,b\n6,b\n7,b\n8,b\n9,b\n10,b\n");
        // WHEN
        Split sp = Split.stratified(t, Schema.infer(t, "label"), 1, 0.1);
        // THEN
        List<String> testLabels = sp.testRows().stream().map(r -> t.cell(r, "label")).toList();
        List<String> trainLabels = sp.trainRows().stream().map(r -> t.cell(r, "label")).toList();
        assertThat(testLabels).contains("a", "b");
        assertThat(trainLabels).contains("a", "b");
    }

    @Test
    void score_shouldComputeMacroF1AndPerClassMetrics() {
        // GIVEN
        List<String> truth = List.of("a", "a", "b", "b");
        List<String> pred = List.of("a", "b", "b", "b");
        // WHEN
        Metrics m = Evaluation.score(truth, pred);
        // THEN
        assertThat(m.accuracy()).isEqualTo(0.75);
        assertThat(m.perClass().get("a")).isEqualTo(new ClassMetrics(1.0, 0.5, 2.0 / 3, 2));
        assertThat(m.perClass().get("b").precision()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(m.perClass().get("b").recall()).isEqualTo(1.0);
        assertThat(m.macroF1()).isCloseTo((2.0 / 3 + 0.8) / 2, within(1e-12));
        assertThat(m.testRows()).isEqualTo(4);
    }
}

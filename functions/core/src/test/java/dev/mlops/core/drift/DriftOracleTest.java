package dev.mlops.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every value of the SciPy/NumPy oracle ({@code reference/drift/cases.json}) against the
 * Java implementation.
 */
class DriftOracleTest {

    private static final String CASES = "/reference/drift/cases.json";
    private static final double STAT_REL = 1e-6;
    private static final double PVALUE_REL = 1e-6;
    private static final double PVALUE_ABS = 1e-12;
    private static final double EPS = 1e-4;
    /** cases.json stores samples with 6 decimals: half a unit in the last place. */
    private static final double STORED_SAMPLE_ROUNDING = 5e-7;

    static JsonNode loadCases() throws IOException {
        try (InputStream in = DriftOracleTest.class.getResourceAsStream(CASES)) {
            assertThat(in).as("oracle resource " + CASES).isNotNull();
            return dev.mlops.core.Json.MAPPER.readTree(in).get("cases");
        }
    }

    static Stream<Arguments> numericCases() throws IOException {
        return cases("numeric");
    }

    static Stream<Arguments> categoricalCases() throws IOException {
        return cases("categorical");
    }

    private static Stream<Arguments> cases(String type) throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : loadCases()) {
            if (type.equals(c.get("type").asText())) {
                out.add(Arguments.of(Named.of(c.get("name").asText(), c)));
            }
        }
        return out.stream();
    }

    @Test
    void oracle_shouldOnlyHoldKnownCaseTypes() throws IOException {
        // GIVEN
        JsonNode cases = loadCases();

        // WHEN
        List<String> types = new ArrayList<>();
        cases.forEach(c -> types.add(c.get("type").asText()));

        // THEN every case is exercised by one of the parameterised tests below
        assertThat(types).isNotEmpty().allMatch(t -> t.equals("numeric") || t.equals("categorical"));
        assertThat(types).contains("numeric", "categorical");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numericCases")
    void numericStatistics_shouldMatchScipy(JsonNode c) {
        // GIVEN
        double[] ref = doubles(c.get("reference"));
        double[] cur = doubles(c.get("current"));
        SoftAssertions softly = new SoftAssertions();

        // WHEN
        double ks = NumericDrift.ksStatistic(ref, cur);
        double pAuto = NumericDrift.ksPValue(ref, cur);
        double pAsymp = NumericDrift.ksPValueAsymptotic(ref, cur);
        double w = NumericDrift.wasserstein(ref, cur);
        Double wNormed = NumericDrift.wassersteinNormalized(ref, cur);
        double[] edges = NumericDrift.binEdges(ref, cur, 10);
        double[] pr = NumericDrift.proportions(NumericDrift.histogram(ref, edges));
        double[] pc = NumericDrift.proportions(NumericDrift.histogram(cur, edges));
        double psi = NumericDrift.psi(pr, pc, EPS);
        double js = NumericDrift.jensenShannonDistance(pr, pc);

        // THEN
        closeRel(softly, "ks_statistic", ks, c.get("ks_statistic").asDouble(), STAT_REL);
        closeP(softly, "ks_pvalue_auto", pAuto, c.get("ks_pvalue_auto").asDouble());
        closeP(softly, "ks_pvalue_asymp", pAsymp, c.get("ks_pvalue_asymp").asDouble());
        closeRel(softly, "wasserstein", w, c.get("wasserstein").asDouble(), STAT_REL);
        JsonNode expectedNormed = c.get("wasserstein_normed_by_ref_std");
        if (expectedNormed.isNull()) {
            softly.assertThat(wNormed).as("wasserstein_normed_by_ref_std").isNull();
        } else {
            softly.assertThat(wNormed).as("wasserstein_normed_by_ref_std").isNotNull();
            if (wNormed != null) {
                closeRel(softly, "wasserstein_normed_by_ref_std", wNormed, expectedNormed.asDouble(),
                        STAT_REL);
            }
        }
        // The oracle computed bin_edges from the unrounded samples, while cases.json stores the samples
        // rounded to 6 decimals (e.g. expected first edge -3.310351351874828, stored minimum
        // -3.310351). Edges are linear in (min, max), so the spacing is checked strictly from the
        // oracle's own end points, and the edges from the stored samples within that rounding
        // (half a unit in the 6th decimal) plus double precision.
        double[] expectedEdges = doubles(c.get("bin_edges"));
        double[] fromOracleEnds = NumericDrift.binEdges(new double[] {expectedEdges[0]},
                new double[] {expectedEdges[expectedEdges.length - 1]}, expectedEdges.length - 1);
        softly.assertThat(edges).as("bin_edges length").hasSize(expectedEdges.length);
        for (int i = 0; i < expectedEdges.length; i++) {
            double scale = Math.max(1.0, Math.abs(expectedEdges[i]));
            softly.assertThat(fromOracleEnds[i]).as("bin_edges[%d] from the oracle's end points", i)
                    .isCloseTo(expectedEdges[i], within(1e-12 * scale));
            if (i < edges.length) {
                softly.assertThat(edges[i]).as("bin_edges[%d] from the stored samples", i)
                        .isCloseTo(expectedEdges[i], within(STORED_SAMPLE_ROUNDING + 1e-12 * scale));
            }
        }
        softly.assertThat(edges[0]).as("first edge is the pooled minimum")
                .isEqualTo(Math.min(Arrays.stream(ref).min().orElseThrow(),
                        Arrays.stream(cur).min().orElseThrow()));
        softly.assertThat(edges[edges.length - 1]).as("last edge is the pooled maximum")
                .isEqualTo(Math.max(Arrays.stream(ref).max().orElseThrow(),
                        Arrays.stream(cur).max().orElseThrow()));
        long[] hr = NumericDrift.histogram(ref, edges);
        long[] hc = NumericDrift.histogram(cur, edges);
        softly.assertThat(Arrays.stream(hr).sum()).as("every reference value binned").isEqualTo(ref.length);
        softly.assertThat(Arrays.stream(hc).sum()).as("every current value binned").isEqualTo(cur.length);
        closeRel(softly, "psi_with_bin_edges_eps_1e-4", psi,
                c.get("psi_with_bin_edges_eps_1e-4").asDouble(), STAT_REL);
        closeRel(softly, "js_distance_base2_with_bin_edges", js,
                c.get("js_distance_base2_with_bin_edges").asDouble(), STAT_REL);
        softly.assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("categoricalCases")
    void categoricalStatistics_shouldMatchScipy(JsonNode c) {
        // GIVEN
        Map<String, Long> ref = counts(c.get("reference"));
        Map<String, Long> cur = counts(c.get("current"));
        List<String> expectedCategories = new ArrayList<>();
        c.get("categories").forEach(n -> expectedCategories.add(n.asText()));
        SoftAssertions softly = new SoftAssertions();

        // WHEN
        List<String> categories = CategoricalDrift.categories(ref, cur);
        Chi2Result chi2 = CategoricalDrift.chi2Contingency(ref, cur);
        double psi = CategoricalDrift.psi(ref, cur, EPS);
        double js = CategoricalDrift.jsDistance(ref, cur);
        double lInf = CategoricalDrift.lInfinity(ref, cur);

        // THEN
        softly.assertThat(categories).as("categories").isEqualTo(expectedCategories);
        closeRel(softly, "chi2_contingency_statistic", chi2.statistic(),
                c.get("chi2_contingency_statistic").asDouble(), STAT_REL);
        closeP(softly, "chi2_contingency_pvalue", chi2.pValue(),
                c.get("chi2_contingency_pvalue").asDouble());
        softly.assertThat(chi2.dof()).as("chi2_dof").isEqualTo(c.get("chi2_dof").asInt());
        closeRel(softly, "psi_eps_1e-4", psi, c.get("psi_eps_1e-4").asDouble(), STAT_REL);
        closeRel(softly, "js_distance_base2", js, c.get("js_distance_base2").asDouble(), STAT_REL);
        closeRel(softly, "l_infinity", lInf, c.get("l_infinity").asDouble(), STAT_REL);
        softly.assertAll();
    }

    private static void closeRel(SoftAssertions softly, String what, double actual, double expected,
            double rel) {
        softly.assertThat(actual).as(what).isCloseTo(expected,
                within(Math.max(rel * Math.abs(expected), 1e-15)));
    }

    /** p-values: relative tolerance, with a tiny absolute floor for values near 0. */
    private static void closeP(SoftAssertions softly, String what, double actual, double expected) {
        softly.assertThat(actual).as(what).isCloseTo(expected,
                within(Math.max(PVALUE_REL * Math.abs(expected), PVALUE_ABS)));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private static Map<String, Long> counts(JsonNode labels) {
        Map<String, Long> out = new TreeMap<>();
        labels.forEach(n -> out.merge(n.asText(), 1L, Long::sum));
        return out;
    }
}

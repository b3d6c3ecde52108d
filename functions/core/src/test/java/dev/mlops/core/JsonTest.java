package dev.mlops.core;

import dev.mlops.core.errors.ContractException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

    record Point(int x, List<Double> ys) {
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"a\": 1} {\"b\": 2}| more content after the JSON value (line 1, column 10); send one JSON document",
            "{\"a\": 1, \"a\": 2}  | field \"a\" appears twice (line 1, column 13)",
            "{\"a\": 1}]          | Unexpected close marker ']': no open Array to close (line 1, column 9)",
            "{\"a\": tru}         | Unrecognized token 'tru'"})
    void aMalformedBody_shouldBeToldInTheProjectsWords(String body, String expected) {
        // WHEN / THEN the problem and its place, never the parser's classes or settings
        assertThatThrownBy(() -> Json.tree(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("com.").doesNotContain("java.")
                        .doesNotContain("Exception").doesNotContain("Feature").doesNotContain("`"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"x\": \"one\", \"ys\": []}  | field \"x\": Cannot deserialize value of type integer from String",
            "{\"x\": 1, \"ys\": {\"a\": 1}} | field \"ys\": Cannot deserialize value of type array from Object value"})
    void aFieldOfTheWrongType_shouldNameTheFieldAndTheTypeInPlainWords(String body, String expected) {
        assertThatThrownBy(() -> Json.read(body, Point.class))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("java.").doesNotContain("`"));
    }
}

package dev.mlops.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScoresTest {

    @Test
    void concat_shouldKeepTheRowsInOrder_andScoreZeroForAClassAPartsModelDoesNotHave() {
        // GIVEN two folds, the second's model never saw class "c"
        Scores first = new Scores(List.of("a", "b", "c"), new int[] {2}, new double[] {0.1, 0.2, 0.7}, true);
        Scores second = new Scores(List.of("b", "a"), new int[] {0, 1}, new double[] {0.6, 0.4, 0.3, 0.7}, true);
        // WHEN
        Scores all = Scores.concat(List.of(first, second));
        // THEN
        assertThat(all.classes()).containsExactly("a", "b", "c");
        assertThat(all.rows()).isEqualTo(3);
        assertThat(all.predicted()).containsExactly(2, 1, 0);
        assertThat(all.scores()).containsExactly(0.1, 0.2, 0.7, 0.4, 0.6, 0, 0.7, 0.3, 0);
        assertThat(all.probabilistic()).isTrue();
    }

    @Test
    void shapes_shouldBeChecked() {
        assertThatThrownBy(() -> new Scores(List.of("a", "b"), new int[] {0}, new double[] {1}, true))
                .hasMessageContaining("need 2 numbers, got 1");
    }
}

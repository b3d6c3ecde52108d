package dev.mlops.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
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
    void predictions_shouldBeAViewOfTheArrays_thatOfGivesBackWithoutACopy() {
        // GIVEN two rows of three classes
        Scores scores = new Scores(List.of("a", "b", "c"), new int[] {2, 0}, new double[] {0.1, 0.2, 0.7, 0.5, 0.3,
                0.2}, true);
        // WHEN
        List<Prediction> predictions = scores.predictions();
        // THEN each row is a prediction with every class's score, and the arrays come back as they are
        assertThat(predictions).hasSize(2);
        assertThat(predictions.get(0).label()).isEqualTo("c");
        assertThat(predictions.get(1).scores()).containsExactly(entry("a", 0.5), entry("b", 0.3), entry("c", 0.2));
        assertThat(Scores.of(predictions, true)).isSameAs(scores);
        assertThat(Scores.of(predictions, false).probabilistic()).isFalse();
    }

    @Test
    void join_shouldJoinViewsAsArrays_andCopyOtherPredictions() {
        // GIVEN two folds' views, and a plain list
        Scores first = new Scores(List.of("a", "b"), new int[] {1}, new double[] {0.4, 0.6}, true);
        Scores second = new Scores(List.of("a", "b"), new int[] {0}, new double[] {0.9, 0.1}, true);
        List<Prediction> plain = List.of(new Prediction("a", Map.of("a", 0.8, "b", 0.2)));
        // WHEN
        List<Prediction> views = Scores.join(List.of(first.predictions(), second.predictions()));
        List<Prediction> mixed = Scores.join(List.of(first.predictions(), plain));
        // THEN
        assertThat(Scores.of(views, true).scores()).containsExactly(0.4, 0.6, 0.9, 0.1);
        assertThat(views).extracting(Prediction::label).containsExactly("b", "a");
        assertThat(mixed).extracting(Prediction::label).containsExactly("b", "a");
    }

    @Test
    void shapes_shouldBeChecked() {
        assertThatThrownBy(() -> new Scores(List.of("a", "b"), new int[] {0}, new double[] {1}, true))
                .hasMessageContaining("need 2 numbers, got 1");
    }
}

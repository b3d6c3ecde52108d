package dev.mlops.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.errors.InvalidInstanceException;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.TransformedModelProto;

class PredictorTest {

    private static TrainingResult iris;
    private static Predictor predictor;

    @BeforeAll
    static void trainOnce() {
        CsvTable t = TestTables.file("../../data/iris.csv");
        iris = ModelTrainer.train(t, Schema.infer(t, "label"), TrainingConfig.defaults());
        predictor = Predictor.load(iris.artifact(), iris.signature());
    }

    private static Map<String, Object> setosa() {
        Map<String, Object> m = new HashMap<>();
        m.put("sepal_length_cm", 5.1);
        m.put("sepal_width_cm", 3.5);
        m.put("petal_length_cm", 1.4);
        m.put("petal_width_cm", 0.2);
        return m;
    }

    private static List<Map<String, Object>> batch(Map<String, Object> bad, int at) {
        List<Map<String, Object>> list = new ArrayList<>(List.of(setosa(), setosa(), setosa()));
        list.set(at, bad);
        return list;
    }

    @Test
    void load_shouldRefuseTamperedArtifact() {
        // GIVEN
        byte[] bytes = iris.artifact().bytes().clone();
        bytes[bytes.length / 2] ^= 0x01;
        ModelArtifact tampered = new ModelArtifact(bytes, iris.artifact().sha256(), iris.artifact().modelClass());
        // WHEN / THEN
        assertThatThrownBy(() -> Predictor.load(tampered, iris.signature()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("but the artifact records " + iris.artifact().sha256());
    }

    @Test
    void load_shouldRefuseClassNotAllowListed() throws Exception {
        // GIVEN
        ModelProto original = ModelProto.parseFrom(iris.artifact().bytes());
        byte[] evil = original.toBuilder().setClassName("org.tribuo.classification.baseline.DummyClassifierModel")
                .build().toByteArray();
        // WHEN / THEN
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), iris.signature()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("model class \"org.tribuo.classification.baseline.DummyClassifierModel\" is not allowed");
    }

    @Test
    void load_shouldRefuseInnerClassNotAllowListed() throws Exception {
        // GIVEN
        ModelProto original = ModelProto.parseFrom(iris.artifact().bytes());
        TransformedModelProto tm = original.getSerializedData().unpack(TransformedModelProto.class);
        TransformedModelProto evilInner = tm.toBuilder()
                .setModel(tm.getModel().toBuilder().setClassName("com.example.Evil")).build();
        byte[] evil = original.toBuilder().setSerializedData(com.google.protobuf.Any.pack(evilInner)).build()
                .toByteArray();
        // WHEN / THEN
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), iris.signature()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("\"com.example.Evil\" is not allowed");
    }

    @Test
    void load_shouldRefuseBytesThatAreNotAModel() {
        // GIVEN
        byte[] junk = "definitely not protobuf \u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        // WHEN / THEN
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(junk, "x"), iris.signature()))
                .isInstanceOf(ModelIntegrityException.class);
    }

    @Test
    void load_shouldRefuseSignatureMissingAModelClass() {
        // GIVEN
        ModelSignature wrong = new ModelSignature(iris.signature().features(), "label", List.of("setosa"));
        // WHEN / THEN
        assertThatThrownBy(() -> Predictor.load(iris.artifact(), wrong))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("is not in the signature");
    }

    @Test
    void predict_shouldAcceptNumericStringsAndMissingFeatures() {
        // GIVEN
        Map<String, Object> strings = setosa();
        strings.put("petal_length_cm", "1.4");
        Map<String, Object> missing = setosa();
        missing.put("sepal_width_cm", null);
        missing.remove("sepal_length_cm");
        missing.put("petal_width_cm", "NA");
        // WHEN
        List<Prediction> p = predictor.predict(List.of(setosa(), strings, missing));
        // THEN
        assertThat(p).extracting(Prediction::label).containsExactly("setosa", "setosa", "setosa");
        assertThat(p.get(1)).isEqualTo(p.get(0));
        assertThat(p.get(0).scores().keySet()).containsExactly("setosa", "versicolor", "virginica");
    }

    @Test
    void predict_shouldNameInstanceAndFieldOfNonNumericString() {
        // GIVEN
        Map<String, Object> bad = setosa();
        bad.put("petal_width_cm", "abc");
        // WHEN / THEN
        assertThatThrownBy(() -> predictor.predict(batch(bad, 2)))
                .isInstanceOf(InvalidInstanceException.class)
                .hasMessage("instances[2].petal_width_cm: expected a number, got \"abc\"")
                .satisfies(e -> {
                    assertThat(((InvalidInstanceException) e).index()).isEqualTo(2);
                    assertThat(((InvalidInstanceException) e).field()).isEqualTo("petal_width_cm");
                });
    }

    @Test
    void predict_shouldRejectBooleansObjectsAndArraysForNumericFeatures() {
        // GIVEN
        Map<String, Object> bool = setosa();
        bool.put("sepal_length_cm", true);
        Map<String, Object> obj = setosa();
        obj.put("sepal_length_cm", Map.of("v", 1));
        Map<String, Object> arr = setosa();
        arr.put("sepal_length_cm", List.of(1, 2));
        // WHEN / THEN
        assertThatThrownBy(() -> predictor.predict(batch(bool, 0)))
                .hasMessage("instances[0].sepal_length_cm: expected a number, got boolean true");
        assertThatThrownBy(() -> predictor.predict(batch(obj, 1)))
                .hasMessage("instances[1].sepal_length_cm: expected a number, got an object");
        assertThatThrownBy(() -> predictor.predict(batch(arr, 1)))
                .hasMessage("instances[1].sepal_length_cm: expected a number, got an array");
    }

    @Test
    void predict_shouldRejectUnknownField() {
        // GIVEN
        Map<String, Object> bad = setosa();
        bad.put("petal_colour", "blue");
        // WHEN / THEN
        assertThatThrownBy(() -> predictor.predict(batch(bad, 1)))
                .isInstanceOf(InvalidInstanceException.class)
                .hasMessageStartingWith("instances[1].petal_colour: unknown field; expected one of: sepal_length_cm, ");
    }

    @Test
    void predict_shouldRejectEmptyOversizedNullAndAllMissingRequests() {
        // GIVEN
        List<Map<String, Object>> tooMany = Collections.nCopies(Predictor.MAX_INSTANCES + 1, setosa());
        Map<String, Object> allMissing = new HashMap<>();
        allMissing.put("petal_width_cm", null);
        // WHEN / THEN
        assertThatThrownBy(() -> predictor.predict(List.of()))
                .isInstanceOf(InvalidInstanceException.class).hasMessage("instances: expected at least one instance");
        assertThatThrownBy(() -> predictor.predict(tooMany))
                .isInstanceOf(InvalidInstanceException.class)
                .hasMessage("instances: at most 1000 instances per request, got 1001");
        assertThatThrownBy(() -> predictor.predict(Arrays.asList(setosa(), null)))
                .isInstanceOf(InvalidInstanceException.class).hasMessage("instances[1]: expected an object, got null");
        assertThatThrownBy(() -> predictor.predict(List.of(allMissing)))
                .isInstanceOf(InvalidInstanceException.class)
                .hasMessageStartingWith("instances[0]: no feature has a usable value");
        assertThat(predictor.predict(Collections.nCopies(Predictor.MAX_INSTANCES, setosa())))
                .hasSize(Predictor.MAX_INSTANCES);
    }

    @Test
    void predict_shouldRefuseANumberWhoseScoresOverflow_namingItsField() {
        // GIVEN a finite number too large for the model: its scores overflow to non-finite numbers
        Map<String, Object> huge = setosa();
        huge.put("sepal_width_cm", 1e308);
        // WHEN / THEN the second instance is named, with the field
        assertThatThrownBy(() -> predictor.predict(batch(huge, 1)))
                .isInstanceOf(InvalidInstanceException.class)
                .hasMessageStartingWith("instances[1].sepal_width_cm: 1.0E308 is too large in magnitude")
                .extracting(e -> ((InvalidInstanceException) e).field()).isEqualTo("sepal_width_cm");
    }
}

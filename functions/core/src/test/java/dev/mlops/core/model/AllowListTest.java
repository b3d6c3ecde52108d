package dev.mlops.core.model;

import com.google.protobuf.Any;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.errors.ModelIntegrityException;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.data.SplitSpec;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import dev.mlops.core.model.family.XGBoostSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.common.xgboost.protos.XGBoostModelProto;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.protos.core.TransformedModelProto;
import org.tribuo.protos.core.TransformerListProto;
import org.tribuo.protos.core.WeightedEnsembleModelProto;

import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The allow-list walks every class a model protobuf names before anything is instantiated: the
 * wrapped model, the transformers, an ensemble's members and combiner, XGBoost's output converter.
 */
class AllowListTest {

    private static TrainingResult forest;
    private static CsvTable iris;
    private static Schema schema;

    @BeforeAll
    static void train() {
        iris = TestTables.file("../../data/iris.csv");
        schema = Schema.infer(iris, "label");
        forest = ModelTrainer.train(iris, schema, new TrainingConfig("random-forest", 1, SplitSpec.rowHash(1, 0.3),
                Map.of("numTrees", "3")));
    }

    /** The artifact with its TransformedModel's inner model rewritten. */
    private static byte[] rewriteInner(TrainingResult r, UnaryOperator<ModelProto> inner) throws Exception {
        ModelProto outer = ModelProto.parseFrom(r.artifact().bytes());
        TransformedModelProto t = outer.getSerializedData().unpack(TransformedModelProto.class);
        return outer.toBuilder().setSerializedData(Any.pack(t.toBuilder().setModel(inner.apply(t.getModel())).build()))
                .build().toByteArray();
    }

    private static ModelProto rewriteEnsemble(ModelProto ensemble,
                                              UnaryOperator<WeightedEnsembleModelProto.Builder> change) {
        try {
            WeightedEnsembleModelProto e = ensemble.getSerializedData().unpack(WeightedEnsembleModelProto.class);
            return ensemble.toBuilder().setSerializedData(Any.pack(change.apply(e.toBuilder()).build())).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aForest_shouldLoad() {
        assertThat(Predictor.load(forest.artifact(), forest.signature()).predict(java.util.List.of(
                Map.of("petal_length_cm", 1.4, "petal_width_cm", 0.2))).get(0).label()).isEqualTo("setosa");
    }

    @Test
    void anEnsembleMemberThatIsNotATree_shouldBeRefused() throws Exception {
        byte[] evil = rewriteInner(forest, m -> rewriteEnsemble(m, b -> b.setModels(0,
                b.getModels(0).toBuilder().setClassName("org.tribuo.common.liblinear.LibLinearModel"))));
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), forest.signature()))
                .isInstanceOf(ModelIntegrityException.class)
                .hasMessageContaining("ensemble member class \"org.tribuo.common.liblinear.LibLinearModel\" is not allowed");
    }

    @Test
    void anotherEnsembleCombiner_shouldBeRefused() throws Exception {
        byte[] evil = rewriteInner(forest, m -> rewriteEnsemble(m, b -> b.setCombiner(
                b.getCombiner().toBuilder().setClassName("com.example.Combiner"))));
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), forest.signature()))
                .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("\"com.example.Combiner\" is not allowed");
    }

    @Test
    void anotherTransformer_shouldBeRefused() throws Exception {
        ModelProto outer = ModelProto.parseFrom(forest.artifact().bytes());
        TransformedModelProto t = outer.getSerializedData().unpack(TransformedModelProto.class);
        var map = t.getTransformerMap().toBuilder();
        String feature = map.getTransformersMap().keySet().iterator().next();
        TransformerListProto list = map.getTransformersMap().get(feature);
        map.putTransformers(feature, list.toBuilder().setTransformer(0,
                list.getTransformer(0).toBuilder().setClassName("com.example.Transformer")).build());
        byte[] evil = outer.toBuilder().setSerializedData(Any.pack(t.toBuilder().setTransformerMap(map).build()))
                .build().toByteArray();
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), forest.signature()))
                .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("\"com.example.Transformer\" is not allowed");
    }

    @Test
    void anEnsembleInsideAnEnsemble_orAWrapperInsideAWrapper_shouldBeRefused() throws Exception {
        byte[] nestedEnsemble = rewriteInner(forest, m -> rewriteEnsemble(m, b -> b.setModels(0, m)));
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(nestedEnsemble, "x"), forest.signature()))
                .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("an ensemble holds only");
        ModelProto outer = ModelProto.parseFrom(forest.artifact().bytes());
        byte[] nestedWrapper = rewriteInner(forest, m -> outer);
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(nestedWrapper, "x"), forest.signature()))
                .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("nested TransformedModel");
    }

    @Test
    void xgboost_shouldLoad_onlyWithItsOwnOutputConverter() throws Exception {
        assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
        TrainingResult xgb = ModelTrainer.train(iris, schema, new TrainingConfig("xgboost", 1, SplitSpec.rowHash(1, 0.3),
                Map.of("numTrees", "5")));
        assertThat(Predictor.load(xgb.artifact(), xgb.signature())).isNotNull();
        // XGBoost trains from arrays: its model is written bare, not inside the standardising TransformedModel
        assertThat(xgb.artifact().modelClass()).isEqualTo("org.tribuo.common.xgboost.XGBoostModel");
        ModelProto m = ModelProto.parseFrom(xgb.artifact().bytes());
        XGBoostModelProto x = m.getSerializedData().unpack(XGBoostModelProto.class);
        byte[] evil = m.toBuilder().setSerializedData(Any.pack(x.toBuilder().setConverter(
                x.getConverter().toBuilder().setClassName("com.example.Converter")).build())).build().toByteArray();
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), xgb.signature()))
                .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("\"com.example.Converter\" is not allowed");
    }

    @Test
    void anXGBoostModelInsideTheStandardisingWrapper_asEarlierVersionsWroteIt_shouldBeCheckedAsDeeply() throws Exception {
        assumeThat(XGBoostSupport.unavailableReason()).as("XGBoost's native library loads here").isEmpty();
        // GIVEN the XGBoost fixture (a TransformedModel around the XGBoost model) with its converter rewritten
        ModelProto outer = ModelProto.parseFrom(java.nio.file.Files.readAllBytes(
                java.nio.file.Path.of("src/test/resources/fixtures/models/xgboost/model.tribuo")));
        TransformedModelProto t = outer.getSerializedData().unpack(TransformedModelProto.class);
        XGBoostModelProto x = t.getModel().getSerializedData().unpack(XGBoostModelProto.class);
        ModelProto inner = t.getModel().toBuilder().setSerializedData(Any.pack(x.toBuilder().setConverter(
                x.getConverter().toBuilder().setClassName("com.example.Converter")).build())).build();
        byte[] evil = outer.toBuilder().setSerializedData(Any.pack(t.toBuilder().setModel(inner).build())).build()
                .toByteArray();
        // THEN it is refused before anything is instantiated
        ModelSignature signature = dev.mlops.core.Json.read(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(
                "src/test/resources/fixtures/models/xgboost/signature.json")), ModelSignature.class);
        assertThatThrownBy(() -> Predictor.load(ModelArtifact.of(evil, "x"), signature))
                .isInstanceOf(ModelIntegrityException.class).hasMessageContaining("\"com.example.Converter\" is not allowed");
    }
}

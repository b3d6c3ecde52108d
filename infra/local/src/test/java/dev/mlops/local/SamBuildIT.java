package dev.mlops.local;

import dev.mlops.core.Json;
import dev.mlops.core.data.CsvTable;
import dev.mlops.core.data.Schema;
import dev.mlops.core.data.TestTables;
import dev.mlops.core.model.Predictor;
import dev.mlops.core.train.ModelTrainer;
import dev.mlops.core.train.TrainingConfig;
import dev.mlops.core.train.TrainingResult;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `sam build` ships: the Makefile has a build target per function of template.yaml, and the jar
 * it unpacks holds the function's Handler class (and none of the heavy HTTP clients we exclude).
 */
class SamBuildIT {

    private static final Pattern TARGET = Pattern.compile("^build-(\\w+):\\s*\\n\\t\\$\\(call package_function,([^)]+)\\)",
            Pattern.MULTILINE);

    @Test
    void everyFunction_shouldHaveABuildTargetWhoseJarHoldsItsHandler() throws Exception {
        Map<String, String> modules = new LinkedHashMap<>();
        Matcher m = TARGET.matcher(Files.readString(Repo.file("Makefile")));
        while (m.find()) {
            modules.put(m.group(1), m.group(2));
        }
        StackModel stack = StackModel.load(Repo.file("template.yaml"));
        for (StackModel.Function f : stack.functions()) {
            // GIVEN the Makefile target SAM calls for this function
            assertThat(modules).as("Makefile target build-" + f.logicalId()).containsKey(f.logicalId());
            String module = modules.get(f.logicalId());
            Path jar = Repo.file(module + "/target/" + module.replace("functions/", "mlops-function-") + "-0.1.0-SNAPSHOT-lambda.jar");
            // WHEN its jar is opened
            try (JarFile j = new JarFile(jar.toFile())) {
                // THEN the handler class is inside, and the Apache/Netty HTTP clients are not
                String handlerClass = f.handler().split("::")[0].replace('.', '/') + ".class";
                assertThat(j.getEntry(handlerClass)).as(jar + " holds " + handlerClass).isNotNull();
                assertThat(j.stream().map(e -> e.getName())
                        .filter(n -> n.startsWith("software/amazon/awssdk/http/apache") || n.startsWith("io/netty/")
                                || n.startsWith("org/apache/hc/")))
                        .as(jar + " ships no Apache or Netty HTTP client").isEmpty();
                // AND an SLF4J provider for the SDK's logging, so a cold start prints no SLF4J warning
                var providers = j.getEntry("META-INF/services/org.slf4j.spi.SLF4JServiceProvider");
                assertThat(providers).as(jar + " names an SLF4J provider").isNotNull();
                String provider = new String(j.getInputStream(providers).readAllBytes()).strip();
                assertThat(j.getEntry(provider.replace('.', '/') + ".class")).as(jar + " holds " + provider).isNotNull();
            }
        }
    }

    @Test
    void theInferenceJar_shouldLoadAndScoreEveryAllowedModelFamily_onItsOwn() throws Exception {
        // GIVEN a model trained here, and the slimmed inference jar in a class loader of its own
        CsvTable table = TestTables.file(Repo.file("data/iris.csv").toString());
        TrainingResult trained = ModelTrainer.train(table, Schema.infer(table, "label"), TrainingConfig.defaults());
        Path jar = Repo.file("functions/inference/target/mlops-function-inference-0.1.0-SNAPSHOT-lambda.jar");
        try (URLClassLoader alone = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            // WHEN every allow-listed model class and the handler are loaded, and the model scores a row
            for (String modelClass : Predictor.ALLOWED_MODEL_CLASSES) {
                assertThat(Class.forName(modelClass, true, alone)).as(modelClass).isNotNull();
            }
            Class.forName("dev.mlops.functions.inference.InferenceHandler", true, alone);
            Class<?> json = alone.loadClass("dev.mlops.core.Json");
            Class<?> signatureType = alone.loadClass("dev.mlops.core.model.ModelSignature");
            Object signature = json.getMethod("read", byte[].class, Class.class)
                    .invoke(null, Json.bytes(trained.signature()), signatureType);
            Class<?> artifactType = alone.loadClass("dev.mlops.core.model.ModelArtifact");
            Object artifact = artifactType.getMethod("of", byte[].class, String.class)
                    .invoke(null, trained.artifact().bytes(), trained.artifact().modelClass());
            Object predictor = alone.loadClass("dev.mlops.core.model.Predictor").getMethod("load", artifactType, signatureType)
                    .invoke(null, artifact, signature);
            Object predictions = predictor.getClass().getMethod("predict", List.class).invoke(predictor,
                    List.of(Map.of("sepal_length_cm", 5.1, "sepal_width_cm", 3.5, "petal_length_cm", 1.4, "petal_width_cm", 0.2)));
            // THEN it answers, from the jar alone
            assertThat(predictions.toString()).contains("label=setosa");
        }
    }
}

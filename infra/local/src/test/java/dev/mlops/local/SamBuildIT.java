package dev.mlops.local;

import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
                        .filter(n -> n.startsWith("software/amazon/awssdk/http/apache/") || n.startsWith("io/netty/")))
                        .as(jar + " ships no Apache or Netty HTTP client").isEmpty();
            }
        }
    }
}

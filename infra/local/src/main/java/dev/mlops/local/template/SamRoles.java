package dev.mlops.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The IAM roles template.yaml gives its functions and state machines, as AWS would create them: the template is
 * transformed by the SAM translator itself (the library CloudFormation runs for {@code AWS::Serverless-2016-10-31},
 * through {@code sam_roles.py} and {@code python3}), so SAM policy templates ({@code DynamoDBCrudPolicy},
 * {@code StepFunctionsExecutionPolicy}, ...) expand to the statements AWS deploys; the local runtime then resolves
 * their {@code Ref}, {@code Fn::Sub} and {@code Fn::GetAtt} with the stack's local names. The translation is
 * cached per template content in {@code cacheDir}. {@code $MLOPS_PYTHON} names another interpreter.
 */
public final class SamRoles {

    /** One inline policy of a role, resolved. */
    public record Policy(String name, Map<String, Object> document) {
    }

    /** The role of a function or state machine: its logical id, its inline policies and managed policy ARNs. */
    public record Role(String owner, String logicalId, List<Policy> policies, List<String> managedPolicyArns) {
    }

    /** The SAM translator could not be run: what to install, or {@code --no-iam}. */
    public static final class TranslatorMissing extends IllegalStateException {
        TranslatorMissing(String message) {
            super(message);
        }
    }

    private SamRoles() {
    }

    /**
     * The roles of the template's functions and state machines, by their owner's logical id.
     *
     * @throws TranslatorMissing naming what to install (or {@code --no-iam}) when the SAM translator is missing
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Role> of(StackModel stack, Path cacheDir) {
        JsonNode translated = translate(stack.templateFile(), cacheDir);
        Map<String, Role> roles = new LinkedHashMap<>();
        var owners = translated.path("owners").fields();
        while (owners.hasNext()) {
            var owner = owners.next();
            String roleId = owner.getValue().asText();
            Map<String, Object> properties = Json.MAPPER.convertValue(translated.path("roles").path(roleId), Map.class);
            List<Policy> policies = new ArrayList<>();
            for (Object p : (List<Object>) properties.getOrDefault("Policies", List.of())) {
                Map<String, Object> policy = (Map<String, Object>) p;
                policies.add(new Policy(policy.get("PolicyName").toString(),
                        (Map<String, Object>) stack.resolve(policy.get("PolicyDocument"))));
            }
            List<String> managed = new ArrayList<>();
            for (Object arn : (List<Object>) properties.getOrDefault("ManagedPolicyArns", List.of())) {
                managed.add(String.valueOf(stack.resolve(arn)));
            }
            roles.put(owner.getKey(), new Role(owner.getKey(), roleId, policies, managed));
        }
        return roles;
    }

    private static JsonNode translate(Path template, Path cacheDir) {
        try {
            byte[] scriptText;
            try (InputStream in = SamRoles.class.getResourceAsStream("sam_roles.py")) {
                scriptText = in.readAllBytes();
            }
            // Keyed by the template and the script: either changing translates again.
            String key = sha256(Files.readAllBytes(template)) + sha256(scriptText);
            Path cached = cacheDir.resolve("sam-roles-" + sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 16)
                    + ".json");
            if (Files.exists(cached)) {
                return Json.MAPPER.readTree(cached.toFile());
            }
            Files.createDirectories(cacheDir);
            Path script = cacheDir.resolve("sam_roles.py");
            Files.write(script, scriptText);
            String python = System.getenv().getOrDefault("MLOPS_PYTHON", "python3");
            Process p = new ProcessBuilder(python, script.toString(), template.toAbsolutePath().toString()).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread drain = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException ignored) {
                    // the exit code tells
                }
            });
            drain.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                drain.join(1000);
                throw missing(python, err.toString(StandardCharsets.UTF_8));
            }
            JsonNode translated = Json.MAPPER.readTree(out);
            Files.write(cached, out);
            return translated;
        } catch (IOException e) {
            throw missing(System.getenv().getOrDefault("MLOPS_PYTHON", "python3"), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while translating " + template, e);
        }
    }

    private static TranslatorMissing missing(String python, String why) {
        String last = why.strip().lines().reduce((a, b) -> b).orElse(why);
        return new TranslatorMissing("IAM is enforced from template.yaml's policies as the SAM translator expands "
                + "them, and " + python + " could not run it: " + last + ". Install it (python3 -m pip install "
                + "aws-sam-translator; cfn-lint brings it too), point $MLOPS_PYTHON at a Python that has it, "
                + "or run without IAM enforcement (--no-iam).");
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

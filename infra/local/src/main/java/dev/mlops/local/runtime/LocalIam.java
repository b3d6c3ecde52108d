package dev.mlops.local.runtime;

import dev.mlops.core.Json;
import dev.mlops.local.template.SamRoles;
import dev.mlops.local.template.StackModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IAM for the local stack, from template.yaml: each function and state machine gets an access key of its own that
 * stands for the role the template gives it ({@link SamRoles}: the SAM translator's expansion, resolved locally).
 * The keys and the roles' policies go to {@code principals.json}, which the AWS gateway (aws-gateway.mjs) evaluates
 * every signed request against; a function's SDK clients sign with its key, so the check travels with the clients
 * wherever the function runs. Keys not in the file (people's, the runtime's own) are not checked.
 */
public final class LocalIam {

    /** A principal's access key (the secret is never checked locally, but SigV4 needs one). */
    public record Credentials(String accessKeyId, String secretAccessKey) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final Map<String, Credentials> byOwner;
    private final Map<String, String> roleArns;
    private final Path principalsFile;
    private final Path usageFile;

    private LocalIam(Map<String, Credentials> byOwner, Map<String, String> roleArns, Path principalsFile,
                     Path usageFile) {
        this.byOwner = byOwner;
        this.roleArns = roleArns;
        this.principalsFile = principalsFile;
        this.usageFile = usageFile;
    }

    /** No enforcement ({@code --no-iam}): every principal signs as the account's administrator. */
    public static LocalIam off() {
        return new LocalIam(Map.of(), Map.of(), null, null);
    }

    /** Translates the template's roles, gives each owner a key, and writes {@code <home>/iam/principals.json}. */
    public static LocalIam enforce(StackModel model, Path home) throws IOException {
        Path dir = home.resolve("iam");
        Map<String, SamRoles.Role> roles = SamRoles.of(model, dir);
        Map<String, Credentials> keys = new LinkedHashMap<>();
        Map<String, String> roleArns = new LinkedHashMap<>();
        List<Map<String, Object>> principals = new ArrayList<>();
        Map<String, String> sessionNames = new LinkedHashMap<>();
        model.functions().forEach(f -> sessionNames.put(f.logicalId(), f.name()));
        model.stateMachines().forEach(m -> sessionNames.put(m.logicalId(), m.name()));
        for (SamRoles.Role role : roles.values()) {
            Credentials credentials = new Credentials("ASIA" + random(16), random(40));
            keys.put(role.owner(), credentials);
            String roleName = StackModel.STACK_NAME + "-" + role.logicalId();
            String roleArn = "arn:aws:iam::" + StackModel.ACCOUNT + ":role/" + roleName;
            roleArns.put(role.owner(), roleArn);
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", role.owner());
            p.put("accessKeyId", credentials.accessKeyId());
            p.put("roleName", roleName);
            p.put("roleArn", roleArn);
            p.put("sessionArn", "arn:aws:sts::" + StackModel.ACCOUNT + ":assumed-role/" + roleName + "/"
                    + sessionNames.getOrDefault(role.owner(), role.owner()));
            List<Map<String, Object>> policies = new ArrayList<>();
            role.policies().forEach(policy -> policies.add(Map.of("name", policy.name(), "document", policy.document())));
            p.put("policies", policies);
            p.put("managedPolicyArns", role.managedPolicyArns());
            principals.add(p);
        }
        Map<String, String> functions = new LinkedHashMap<>();
        model.functions().forEach(f -> functions.put(f.logicalId(), f.name()));
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("account", StackModel.ACCOUNT);
        file.put("region", StackModel.REGION);
        file.put("functions", functions);
        file.put("principals", principals);
        Files.createDirectories(dir);
        Path principalsFile = dir.resolve("principals.json");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(principalsFile.toFile(), file);
        return new LocalIam(Map.copyOf(keys), Map.copyOf(roleArns), principalsFile,
                home.resolve("logs").resolve("iam-usage.json"));
    }

    public boolean enforced() {
        return principalsFile != null;
    }

    /** The key a function or state machine signs with (none when IAM is off). */
    public Optional<Credentials> credentials(String logicalId) {
        return Optional.ofNullable(byOwner.get(logicalId));
    }

    /** The ARN of the role a function or state machine runs as (none when IAM is off). */
    public Optional<String> roleArn(String logicalId) {
        return Optional.ofNullable(roleArns.get(logicalId));
    }

    /** The file the gateway evaluates against (null when IAM is off). */
    public Path principalsFile() {
        return principalsFile;
    }

    /** Where the gateway counts which statement allowed which calls (null when IAM is off). */
    public Path usageFile() {
        return usageFile;
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(KEY_ALPHABET.charAt(RANDOM.nextInt(KEY_ALPHABET.length())));
        }
        return s.toString();
    }
}

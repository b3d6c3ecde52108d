package dev.mlops.local.template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the template deploys each function's code (SAM's {@code AutoPublishAlias}, {@code SnapStart}, {@code
 * DeploymentPreference}), and what the local runtime makes of it, in a sentence per setting for {@code local up} and
 * docs/rollout.md. Locally one copy of each function runs the code as built: an invocation of its alias reaches that
 * copy (the qualifier is ignored), so the alias is honoured as a name; there are no published versions, no snapshot
 * and no CodeDeploy, so SnapStart and a deployment preference's traffic shifting and alarm rollback are not.
 */
public final class CodeDeployments {

    private CodeDeployments() {
    }

    /** One line per function with such a setting: what AWS does, and what the local runtime does. */
    @SuppressWarnings("unchecked")
    public static List<String> localNotes(Path template) {
        Map<String, Object> resources = (Map<String, Object>) TemplateYaml.load(template).getOrDefault("Resources",
                Map.of());
        List<String> notes = new ArrayList<>();
        resources.forEach((id, r) -> {
            Map<String, Object> resource = (Map<String, Object>) r;
            if (!"AWS::Serverless::Function".equals(resource.get("Type"))) {
                return;
            }
            Map<String, Object> p = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            List<String> parts = new ArrayList<>();
            if (p.get("AutoPublishAlias") != null) {
                parts.add("alias " + p.get("AutoPublishAlias") + ": honoured as a name (invocations of it run the one"
                        + " local copy; no published versions)");
            }
            if (p.get("SnapStart") != null) {
                parts.add("SnapStart: not emulated (every start runs the warm-up; no snapshot is taken or restored)");
            }
            Object preference = p.get("DeploymentPreference");
            if (preference instanceof Map<?, ?> d) {
                parts.add("DeploymentPreference " + d.get("Type") + ": not emulated (a new build serves every call at"
                        + " once; traffic shifting and the alarms' rollback are CodeDeploy's, on AWS only)");
            }
            if (!parts.isEmpty()) {
                notes.add(id + ": " + String.join("; ", parts));
            }
        });
        return notes;
    }
}

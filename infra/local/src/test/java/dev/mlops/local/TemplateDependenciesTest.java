package dev.mlops.local;

import dev.mlops.local.template.TemplateYaml;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CloudFormation refuses a template whose resources depend on each other in a circle, and the
 * classic one in SAM is a bucket whose S3 event points at a function that (directly or not)
 * refers back to the bucket. This walks template.yaml's references, plus the edge SAM adds from
 * a bucket to the function its S3 event triggers, and checks there is no cycle. A function's {@code
 * DeploymentPreference} is SAM's too: its alarms go on the CodeDeploy deployment group SAM adds
 * ({@code <function>DeploymentGroup}, which names the function), not on the function, so an alarm on the
 * function's own metrics is not a circle.
 */
class TemplateDependenciesTest {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(\\.[^}]*)?}");

    @Test
    void resources_shouldNotDependOnEachOtherInACircle() {
        assertThat(cycle(Repo.file("template.yaml"))).as("dependency cycle").isEmpty();
    }

    @SuppressWarnings("unchecked")
    static List<String> cycle(Path templateFile) {
        Map<String, Object> resources = (Map<String, Object>) TemplateYaml.load(templateFile).get("Resources");
        Map<String, Set<String>> dependsOn = new HashMap<>();
        resources.forEach((id, resource) -> {
            Set<String> refs = new LinkedHashSet<>();
            Map<String, Object> r = (Map<String, Object>) resource;
            Map<String, Object> properties = (Map<String, Object>) r.getOrDefault("Properties", Map.of());
            properties.forEach((name, value) -> {
                if (name.equals("Events")) {
                    ((Map<String, Object>) value).values().forEach(e -> {
                        Map<String, Object> event = (Map<String, Object>) e;
                        Map<String, Object> p = (Map<String, Object>) event.getOrDefault("Properties", Map.of());
                        if ("S3".equals(event.get("Type"))) {
                            // SAM puts the notification on the bucket: the bucket depends on the function.
                            String bucket = (String) ((Map<String, Object>) p.get("Bucket")).get("Ref");
                            dependsOn.computeIfAbsent(bucket, k -> new LinkedHashSet<>()).add(id);
                        } else {
                            collect(p, resources.keySet(), refs);
                        }
                    });
                } else if (name.equals("DeploymentPreference")) {
                    Set<String> group = dependsOn.computeIfAbsent(id + "DeploymentGroup", k -> new LinkedHashSet<>());
                    group.add(id);
                    collect(value, resources.keySet(), group);
                } else {
                    collect(value, resources.keySet(), refs);
                }
            });
            dependsOn.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(refs);
        });
        for (String start : dependsOn.keySet()) {
            List<String> path = new ArrayList<>();
            if (dfs(start, dependsOn, path, new HashSet<>())) {
                return path;
            }
        }
        return List.of();
    }

    private static boolean dfs(String node, Map<String, Set<String>> edges, List<String> path, Set<String> done) {
        if (path.contains(node)) {
            path.add(node);
            return true;
        }
        if (!done.add(node)) {
            return false;
        }
        path.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (dfs(next, edges, path, done)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        return false;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object value, Set<String> ids, Set<String> out) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("Ref") && ids.contains(map.get("Ref"))) {
                out.add((String) map.get("Ref"));
            } else if (map.size() == 1 && map.containsKey("Fn::GetAtt")) {
                Object target = ((List<Object>) map.get("Fn::GetAtt")).get(0);
                if (ids.contains(target)) {
                    out.add((String) target);
                }
            } else if (map.size() == 1 && map.containsKey("Fn::Sub")) {
                Object sub = map.get("Fn::Sub");
                String text = sub instanceof List<?> l ? (String) l.get(0) : (String) sub;
                Matcher m = SUB_VARIABLE.matcher(text);
                while (m.find()) {
                    if (ids.contains(m.group(1))) {
                        out.add(m.group(1));
                    }
                }
                if (sub instanceof List<?> l) {
                    collect(l.get(1), ids, out);
                }
            } else {
                map.values().forEach(v -> collect(v, ids, out));
            }
        } else if (value instanceof List<?> list) {
            list.forEach(v -> collect(v, ids, out));
        }
    }
}

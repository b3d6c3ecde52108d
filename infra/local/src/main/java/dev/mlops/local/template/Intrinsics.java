package dev.mlops.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions the local runtime needs ({@code Ref}, {@code Fn::GetAtt},
 * {@code Fn::Sub}, {@code Fn::Join}) against local names. Anything else is an error that names
 * the function, so a template change that the local runtime cannot follow fails loudly.
 */
public final class Intrinsics {

    /** Answers Ref and GetAtt for the local stack. */
    public interface Names {
        /** The value of {@code !Ref name} (a parameter, a pseudo parameter or a resource). */
        String ref(String name);

        /** The value of {@code !GetAtt resource.attribute}. */
        String getAtt(String resource, String attribute);
    }

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private final Names names;

    public Intrinsics(Names names) {
        this.names = names;
    }

    /** Resolves a template value to a plain value (String, Number, Boolean, List, Map). */
    @SuppressWarnings("unchecked")
    public Object resolve(Object value) {
        if (value instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                String key = map.keySet().iterator().next().toString();
                Object arg = map.values().iterator().next();
                if (key.equals("Ref")) {
                    return names.ref(arg.toString());
                }
                if (key.startsWith("Fn::")) {
                    return function(key, arg);
                }
            }
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((k, v) -> out.put(k, resolve(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(resolve(v)));
            return out;
        }
        return value;
    }

    /** Resolves a value that must end up a string. */
    public String resolveString(Object value) {
        Object resolved = resolve(value);
        return resolved == null ? null : resolved.toString();
    }

    @SuppressWarnings("unchecked")
    private Object function(String key, Object arg) {
        switch (key) {
            case "Fn::GetAtt": {
                List<Object> parts = arg instanceof String s ? List.copyOf(TemplateYaml.splitAttribute(s)) : (List<Object>) arg;
                return names.getAtt(resolveString(parts.get(0)), resolveString(parts.get(1)));
            }
            case "Fn::Sub": {
                if (arg instanceof List<?> list) {
                    Map<String, Object> vars = (Map<String, Object>) list.get(1);
                    return substitute(list.get(0).toString(), vars);
                }
                return substitute(arg.toString(), Map.of());
            }
            case "Fn::Join": {
                List<Object> list = (List<Object>) arg;
                List<String> parts = new ArrayList<>();
                for (Object part : (List<Object>) resolve(list.get(1))) {
                    parts.add(part.toString());
                }
                return String.join(list.get(0).toString(), parts);
            }
            default:
                throw new IllegalArgumentException("the local runtime does not evaluate " + key
                        + " (template.yaml); supported: Ref, Fn::GetAtt, Fn::Sub, Fn::Join");
        }
    }

    private String substitute(String template, Map<String, Object> vars) {
        Matcher m = SUB_VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).trim();
            String value;
            if (vars.containsKey(name)) {
                value = resolveString(vars.get(name));
            } else if (name.contains(".") && !name.startsWith("AWS::")) {
                int dot = name.indexOf('.');
                value = names.getAtt(name.substring(0, dot), name.substring(dot + 1));
            } else {
                value = names.ref(name);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}

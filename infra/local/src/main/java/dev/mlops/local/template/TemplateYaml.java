package dev.mlops.local.template;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Loads a CloudFormation/SAM YAML template into plain maps and lists. Short-form tags become their
 * long form, as CloudFormation does: {@code !Ref X} is {@code {"Ref": "X"}}, {@code !GetAtt A.B} is
 * {@code {"Fn::GetAtt": ["A", "B"]}}, any other {@code !Fn} is {@code {"Fn::Fn": value}}.
 */
public final class TemplateYaml {

    private TemplateYaml() {
    }

    /** Parses the template file. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path file) {
        try {
            return (Map<String, Object>) new Yaml(new CloudFormationConstructor()).load(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String name = node.getTag().getValue().substring(1);
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    if ("Ref".equals(name)) {
                        return Map.of("Ref", value);
                    }
                    if ("GetAtt".equals(name) && value instanceof String s) {
                        int dot = s.indexOf('.');
                        value = List.of(s.substring(0, dot), s.substring(dot + 1));
                    }
                    return Map.of("Fn::" + name, value);
                }
            });
        }
    }

    /** Splits "A.B" the way the short-form GetAtt does (first dot). */
    static List<String> splitAttribute(String s) {
        return Arrays.asList(s.split("\\.", 2));
    }
}

package dev.mlops.local;

import dev.mlops.local.template.Intrinsics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntrinsicsTest {

    private final Intrinsics intrinsics = new Intrinsics(new Intrinsics.Names() {
        @Override
        public String ref(String name) {
            return switch (name) {
                case "AWS::StackName" -> "stack";
                case "Bucket" -> "the-bucket";
                default -> throw new IllegalArgumentException(name);
            };
        }

        @Override
        public String getAtt(String resource, String attribute) {
            return resource + "/" + attribute;
        }
    });

    @Test
    void sub_shouldReplaceRefsAttributesAndLocalVariables() {
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", "${AWS::StackName}-${Bucket}-${Fn.Arn}"))).isEqualTo("stack-the-bucket-Fn/Arn");
        assertThat(intrinsics.resolve(Map.of("Fn::Sub", List.of("${x}/${Bucket}", Map.of("x", Map.of("Ref", "AWS::StackName"))))))
                .isEqualTo("stack/the-bucket");
    }

    @Test
    void join_getAtt_andNesting_shouldResolve() {
        assertThat(intrinsics.resolve(Map.of("Fn::Join", List.of(":", List.of("a", Map.of("Ref", "Bucket"))))))
                .isEqualTo("a:the-bucket");
        assertThat(intrinsics.resolve(Map.of("Fn::GetAtt", List.of("Table", "Arn")))).isEqualTo("Table/Arn");
        assertThat(intrinsics.resolve(Map.of("k", List.of(Map.of("Ref", "Bucket"))))).isEqualTo(Map.of("k", List.of("the-bucket")));
    }

    @Test
    void unsupportedFunction_shouldFailNamingIt() {
        assertThatThrownBy(() -> intrinsics.resolve(Map.of("Fn::ImportValue", "x"))).hasMessageContaining("Fn::ImportValue");
    }
}

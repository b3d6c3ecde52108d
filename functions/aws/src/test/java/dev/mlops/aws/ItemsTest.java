package dev.mlops.aws;

import dev.mlops.core.domain.ModelVersion;
import dev.mlops.core.domain.Run;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ItemsTest {

    @Test
    void records_shouldRoundTripThroughItems_nestedPartsAsMaps() {
        // GIVEN
        ModelVersion v = dev.mlops.core.ports.contract.Fixtures.version("m", "run-1", 3).numbered(4,
                java.time.Instant.parse("2026-11-27T10:00:00.123Z"));
        Run run = dev.mlops.core.ports.contract.Fixtures.run("run-1", "m");
        // WHEN
        Map<String, AttributeValue> item = Items.of(v);
        item.put("sk", Items.s("version#0000000004"));
        // THEN
        assertThat(item.get("version").n()).isEqualTo("4");
        assertThat(item.get("blessing").m().get("verdict").s()).isEqualTo("BLESSED");
        assertThat(item.get("created_at").s()).isEqualTo("2026-11-27T10:00:00.123Z");
        assertThat(Items.to(item, ModelVersion.class, "sk")).isEqualTo(v);
        assertThat(Items.to(Items.of(run), Run.class)).isEqualTo(run);
    }
}

package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link DriftCheckLog} promises. */
public abstract class DriftCheckLogContract {

    protected abstract DriftCheckLog checks();

    @Test
    void latest_shouldBeTheMostRecentCheckOfTheModel() {
        // GIVEN two checks of one model and one of another
        String model = Fixtures.unique("m");
        DriftCheck older = new DriftCheck(model, "20261127T100000Z-aaaa", 1, Instant.EPOCH,
                Instant.parse("2026-11-27T10:00:00Z"), 40, false, List.of(), "monitoring/" + model + "/a/drift.json");
        DriftCheck newer = new DriftCheck(model, "20261127T110000Z-bbbb", 1, Instant.parse("2026-11-27T10:00:00Z"),
                Instant.parse("2026-11-27T11:00:00Z"), 12, true, List.of("petal_length_cm"),
                "monitoring/" + model + "/b/drift.json");
        checks().record(newer);
        checks().record(older);
        checks().record(new DriftCheck(Fixtures.unique("other"), "20261127T120000Z-cccc", 1, Instant.EPOCH,
                Instant.parse("2026-11-27T12:00:00Z"), 1, false, List.of(), "x"));
        // WHEN / THEN
        assertThat(checks().latest(model)).contains(newer);
        assertThat(checks().latest(Fixtures.unique("none"))).isEmpty();
    }
}

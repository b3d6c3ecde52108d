package dev.mlops.core.ports.contract;

import dev.mlops.core.domain.DriftCheck;
import dev.mlops.core.ports.DriftCheckLog;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    @Test
    void history_shouldListAModelsChecksNewestFirst_upToTheLimit() {
        // GIVEN three checks of one model, recorded out of order
        String model = Fixtures.unique("m");
        for (String id : new String[] {"20261127T110000Z-b", "20261127T100000Z-a", "20261127T120000Z-c"}) {
            checks().record(new DriftCheck(model, id, 1, Instant.EPOCH, Instant.parse("2026-11-27T12:00:00Z"), 5,
                    false, List.of(), "k", "NOT_ENOUGH_DATA", "NO_FEEDBACK", null, null));
        }
        // WHEN / THEN
        assertThat(checks().history(model, 2)).extracting(DriftCheck::checkId)
                .containsExactly("20261127T120000Z-c", "20261127T110000Z-b");
        assertThat(checks().history(Fixtures.unique("none"), 10)).isEmpty();
    }

    @Test
    void aCheckWithItsVerdictAndRetraining_shouldRoundTrip() {
        // GIVEN
        String model = Fixtures.unique("m");
        DriftCheck check = new DriftCheck(model, "20261127T100000Z-aaaa", 2, Instant.EPOCH,
                Instant.parse("2026-11-27T10:00:00Z"), 1000, true, List.of("x"), "monitoring/m/a/drift.json",
                "DRIFTED", "DEGRADED", new DriftCheck.Retraining("REQUESTED", "iris-abc", "abc",
                "incoming/iris/retrain-a.csv", 12, "12 labelled rows"), "monitoring/m/a/drift.html");
        // WHEN
        checks().record(check);
        // THEN
        assertThat(checks().latest(model)).contains(check);
    }

    @Test
    void retraining_shouldBeClaimedOncePerCoolDown_andGivenBackOnlyByItsHolder() {
        // GIVEN a check that claims the retraining at 10:00, with a 24-hour cool-down
        String model = Fixtures.unique("m");
        Instant ten = Instant.parse("2026-11-27T10:00:00Z");
        Duration coolDown = Duration.ofHours(24);
        assertThat(checks().claimRetraining(model, "c1", ten, ten.minus(coolDown))).isEmpty();
        // WHEN another check asks an hour later / the same check asks again / a check a day later asks
        Instant eleven = ten.plus(Duration.ofHours(1));
        Optional<DriftCheckLog.RetrainingClaim> refused = checks().claimRetraining(model, "c2", eleven,
                eleven.minus(coolDown));
        Optional<DriftCheckLog.RetrainingClaim> again = checks().claimRetraining(model, "c1", eleven,
                eleven.minus(coolDown));
        checks().releaseRetraining(model, "c2");
        Optional<DriftCheckLog.RetrainingClaim> stillHeld = checks().claimRetraining(model, "c3", eleven,
                eleven.minus(coolDown));
        Instant nextDay = ten.plus(Duration.ofHours(25));
        Optional<DriftCheckLog.RetrainingClaim> afterCoolDown = checks().claimRetraining(model, "c4", nextDay,
                nextDay.minus(coolDown));
        // THEN
        assertThat(refused).hasValueSatisfying(c -> {
            assertThat(c.checkId()).isEqualTo("c1");
            assertThat(c.claimedAt()).isEqualTo(ten);
        });
        assertThat(again).isEmpty();
        assertThat(stillHeld).hasValueSatisfying(c -> assertThat(c.checkId()).isEqualTo("c1"));
        assertThat(afterCoolDown).isEmpty();
        // AND a claim given back by its holder frees the model at once
        checks().releaseRetraining(model, "c4");
        assertThat(checks().claimRetraining(model, "c5", nextDay, nextDay.minus(coolDown))).isEmpty();
        // AND another model is not affected
        assertThat(checks().claimRetraining(Fixtures.unique("other"), "c6", nextDay, nextDay.minus(coolDown))).isEmpty();
    }

    @Test
    void checksRacingForTheRetraining_shouldHaveExactlyOneWinner() throws Exception {
        // GIVEN 10 checks of one model claiming at the same moment
        String model = Fixtures.unique("m");
        Instant at = Instant.parse("2026-11-27T10:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String id = "c" + i;
                claims.add(() -> checks().claimRetraining(model, id, at, at.minus(Duration.ofHours(24))).isEmpty());
            }
            // WHEN
            long winners = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) {
                winners += f.get() ? 1 : 0;
            }
            // THEN
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}

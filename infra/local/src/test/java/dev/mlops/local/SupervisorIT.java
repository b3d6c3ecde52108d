package dev.mlops.local;

import dev.mlops.local.emulators.Emulators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The emulators' supervisor, with S3's watchdog killed alone (SIGKILL: it cannot stop S3Mock's JVM behind it):
 * the orphaned JVM goes with its process group, the emulator is reported back only once its new process answers,
 * and when it keeps dying the supervisor gives up leaving nothing behind that holds the port.
 */
class SupervisorIT {

    @TempDir
    Path data;

    @Test
    void aKilledWatchdog_shouldBeRecoveredWithNoOrphan() throws Exception {
        LinkedBlockingQueue<String> restarted = new LinkedBlockingQueue<>();
        try (Emulators emulators = Emulators.start(Repo.root(), data, URI.create("http://127.0.0.1:9"))) {
            emulators.listener(new Emulators.Listener() {
                @Override
                public void restarted(String name) {
                    restarted.add(name);
                }
            });
            List<ProcessHandle> before = emulators.processes("s3mock");
            assertThat(before).as("the watchdog and S3Mock's JVM").hasSize(2);

            // WHEN the watchdog alone is killed
            before.get(0).destroyForcibly();

            // THEN S3 is back, from new processes, and the orphaned JVM is gone
            assertThat(restarted.poll(120, TimeUnit.SECONDS)).isEqualTo("s3mock");
            for (ProcessHandle old : before) {
                old.onExit().get(20, TimeUnit.SECONDS);
            }
            List<ProcessHandle> after = emulators.processes("s3mock");
            assertThat(after).hasSize(2).allSatisfy(p -> assertThat(p.isAlive()).isTrue());
            assertThat(after).extracting(ProcessHandle::pid).doesNotContainAnyElementsOf(
                    before.stream().map(ProcessHandle::pid).toList());
            assertThat(answers(emulators.endpoints().s3())).isTrue();
        }
    }

    @Test
    void aSupervisorThatGivesUp_shouldLeaveNothingHoldingThePort() throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        LinkedBlockingQueue<String> restarted = new LinkedBlockingQueue<>();
        List<ProcessHandle> seen = new ArrayList<>();
        try (Emulators emulators = Emulators.start(Repo.root(), data, URI.create("http://127.0.0.1:9"))) {
            emulators.restartDelay(Duration.ZERO);
            // Five deaths in one window, however long each restart takes on a loaded machine (S3Mock's start can
            // take more than a fifth of a minute there)
            emulators.deathWindow(Duration.ofMinutes(15));
            emulators.listener(new Emulators.Listener() {
                @Override
                public void restarted(String name) {
                    restarted.add(name);
                }

                @Override
                public void gaveUp(String name, String why) {
                    gaveUp.countDown();
                }
            });
            int port = emulators.endpoints().s3().getPort();
            // WHEN its watchdog is killed five times within that window
            for (int death = 1; death <= 5; death++) {
                List<ProcessHandle> now = emulators.processes("s3mock");
                seen.addAll(now);
                now.get(0).destroyForcibly();
                if (death < 5) {
                    assertThat(restarted.poll(120, TimeUnit.SECONDS)).isEqualTo("s3mock");
                }
            }
            // THEN it gives up, and no process of it is left, the port free
            assertThat(gaveUp.await(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle p : seen) {
                p.onExit().get(20, TimeUnit.SECONDS);
                assertThat(p.isAlive()).as("pid " + p.pid()).isFalse();
            }
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(probe.getLocalPort()).isEqualTo(port);
            }
        }
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            return c.getResponseCode() > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

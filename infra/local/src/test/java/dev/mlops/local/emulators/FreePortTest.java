package dev.mlops.local.emulators;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The port a child emulator is told to bind is free and outside the kernel's ephemeral range, from which binding
 * port 0 (what the Node emulators do meanwhile) could hand the same port to another process.
 */
class FreePortTest {

    @Test
    void aPortForAChild_shouldBeFreeAndBelowTheEphemeralRange() throws Exception {
        // GIVEN the kernel's ephemeral range (Linux)
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "no ephemeral port range to read on this system");
        int start = Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]);

        for (int i = 0; i < 20; i++) {
            // WHEN
            int port = Emulators.freePort();

            // THEN below the range, and bindable on loopback
            assertThat(port).isBetween(10_000, start - 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }
}

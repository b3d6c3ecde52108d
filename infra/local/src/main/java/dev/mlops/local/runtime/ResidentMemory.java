package dev.mlops.local.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The resident memory of a process, from Linux's {@code /proc/<pid>/status} (empty elsewhere, or once it is gone). */
final class ResidentMemory {

    private ResidentMemory() {
    }

    /** Whether this system tells resident memory ({@code /proc}). */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/status"));
    }

    static OptionalLong bytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return OptionalLong.of(Long.parseLong(kb) * 1024);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has exited, or this is not Linux
        }
        return OptionalLong.empty();
    }
}

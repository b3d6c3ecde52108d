package dev.mlops.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The sockets that processes listen on (TCP) or are bound to (UDP), read from Linux's {@code /proc}: each socket of
 * {@code /proc/net/{tcp,tcp6,udp,udp6}} in the listening state whose inode one of the processes holds open.
 */
final class ListeningSockets {

    /** One socket: who holds it, and where it listens. */
    record Socket(long pid, String command, String protocol, InetAddress address, int port) {
        @Override
        public String toString() {
            return protocol + " " + address.getHostAddress() + ":" + port + " (pid " + pid + " " + command + ")";
        }
    }

    private ListeningSockets() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    static List<Socket> of(List<ProcessHandle> processes) throws IOException {
        Map<String, String[]> listening = new HashMap<>(); // inode -> {protocol, hex address, hex port}
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path file = Path.of("/proc/net", table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean tcpListen = table.startsWith("tcp") && f[3].equals("0A");
                boolean udpBound = table.startsWith("udp") && f[3].equals("07");
                if (tcpListen || udpBound) {
                    String[] local = f[1].split(":");
                    listening.put(f[9], new String[] {table, local[0], local[1]});
                }
            }
        }
        List<Socket> out = new ArrayList<>();
        for (ProcessHandle p : processes) {
            Path fds = Path.of("/proc", Long.toString(p.pid()), "fd");
            List<Path> links;
            try (Stream<Path> s = Files.list(fds)) {
                links = s.toList();
            } catch (IOException gone) {
                continue;
            }
            for (Path fd : links) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (target.startsWith("socket:[")) {
                    String[] socket = listening.get(target.substring(8, target.length() - 1));
                    if (socket != null) {
                        out.add(new Socket(p.pid(), p.info().command().orElse("?"), socket[0], address(socket[1]),
                                Integer.parseInt(socket[2], 16)));
                    }
                }
            }
        }
        return out;
    }

    /** /proc's address: the bytes of each 32-bit word in host (little-endian) order. */
    private static InetAddress address(String hex) throws UnknownHostException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}

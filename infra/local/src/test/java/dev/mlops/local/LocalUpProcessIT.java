package dev.mlops.local;

import dev.mlops.local.runtime.LocalClients;
import dev.mlops.local.runtime.RuntimeInfo;
import dev.mlops.local.template.StackModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops local up} as a process of its own: however it is stopped (SIGTERM, Ctrl-C's SIGINT,
 * {@code local down}, even SIGKILL), no emulator outlives it, and the next {@code local up} finds
 * the data of the previous one.
 */
class LocalUpProcessIT {

    @TempDir
    Path home;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
    }

    @Test
    void everyWayOfStopping_shouldLeaveNoEmulatorBehind_andDataShouldSurviveRestarts() throws Exception {
        // GIVEN a running stack with an object and an item written through the SDK
        Process first = localUp();
        RuntimeInfo info = awaitRunning();
        StackModel stack = StackModel.load(Repo.file("template.yaml"));
        String bucket = stack.bucket().name();
        LocalClients clients = LocalClients.of(info);
        clients.s3().putObject(b -> b.bucket(bucket).key("notes/persisted.txt"), RequestBody.fromString("kept"));
        String datasets = stack.tableName("DatasetsTable");
        clients.dynamoDb().putItem(b -> b.tableName(datasets).item(Map.of("dataset", AttributeValue.fromS("kept"),
                "version", AttributeValue.fromS("v1"))));

        // WHEN it gets SIGTERM
        stopAndCheckNothingRemains(first, info, p -> p.destroy());

        // THEN a second start finds the object and the item
        Process second = localUp();
        RuntimeInfo again = awaitRunning();
        LocalClients clientsAgain = LocalClients.of(again);
        assertThat(clientsAgain.s3().getObjectAsBytes(b -> b.bucket(bucket).key("notes/persisted.txt")).asUtf8String())
                .isEqualTo("kept");
        assertThat(clientsAgain.dynamoDb().getItem(b -> b.tableName(datasets).key(Map.of("dataset", AttributeValue.fromS("kept"),
                "version", AttributeValue.fromS("v1")))).item()).isNotEmpty();

        // AND `local down` stops it completely
        stopAndCheckNothingRemains(second, again, p -> run("local", "down"));

        // AND so do Ctrl-C (SIGINT) and even SIGKILL (the children see their stdin close)
        Process third = localUp();
        stopAndCheckNothingRemains(third, awaitRunning(), p -> signal(p, "INT"));
        Process fourth = localUp();
        stopAndCheckNothingRemains(fourth, awaitRunning(), p -> signal(p, "KILL"));
    }

    @Test
    void aStartedStack_shouldListenOnLoopbackOnly_everyEmulatorEndpointAndEnvironmentIncluded() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ListeningSockets.available(), "needs Linux's /proc");
        // GIVEN a running stack whose five functions have each been invoked once (their environments started)
        Process up = localUp();
        RuntimeInfo info = awaitRunning();
        StackModel stack = StackModel.load(Repo.file("template.yaml"));
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (StackModel.Function f : stack.functions()) {
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(info.lambdaUrl()
                            + "/2015-03-31/functions/" + f.name() + "/invocations"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        }
        List<ProcessHandle> processes = new ArrayList<>(List.of(up.toHandle()));
        up.descendants().forEach(processes::add);
        assertThat(processes).filteredOn(LocalUpProcessIT::isEnvironment).hasSizeGreaterThanOrEqualTo(5);

        // WHEN every socket they listen on is listed
        List<ListeningSockets.Socket> sockets = ListeningSockets.of(processes);

        // THEN there are the front door, the event bus, S3 (both of S3Mock's connectors), DynamoDB, Step Functions
        // and the gateway, and every one of them is on loopback
        assertThat(sockets).as(sockets.toString()).hasSizeGreaterThanOrEqualTo(7);
        assertThat(sockets).allSatisfy(s -> assertThat(s.address().isLoopbackAddress()).as(s.toString()).isTrue());
        assertThat(sockets).extracting(ListeningSockets.Socket::port)
                .contains(java.net.URI.create(info.s3()).getPort(), java.net.URI.create(info.dynamodb()).getPort(),
                        java.net.URI.create(info.stepFunctions()).getPort(), java.net.URI.create(info.gateway()).getPort(),
                        java.net.URI.create(info.lambdaUrl()).getPort(), java.net.URI.create(info.events()).getPort());
        stopAndCheckNothingRemains(up, info, p -> p.destroy());
    }

    @Test
    void uploadWait_shouldNoticeALocalUpRestartedOnNewPorts_andReturnHowTheRunEnded() throws Exception {
        // GIVEN a stack whose next training invocation is held for a minute, and an upload --wait following its run
        Process first = localUp("-Dmlops.faults=TrainingFunction:1:PT60S");
        RuntimeInfo before = awaitRunning();
        LocalClients.of(before).s3().putObject(b -> b.bucket(StackModel.load(Repo.file("template.yaml")).bucket().name())
                        .key(dev.mlops.core.Layout.config("restart-it")),
                RequestBody.fromString("{\"training\":{\"families\":[\"logistic-regression\"]}}"));
        Path out = home.resolve("wait.out");
        Path err = home.resolve("wait.err");
        Process wait = command("upload", Repo.file("data/iris.csv").toString(), "--dataset", "restart-it", "--wait",
                "--json").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        started.add(wait);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(3))
                .until(() -> java.nio.file.Files.readString(err).contains("training pipeline running"));

        // WHEN the stack is killed and started again (new ports)
        signal(first, "KILL");
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        localUp();
        RuntimeInfo after = awaitRunning();
        assertThat(after.lambdaUrl()).isNotEqualTo(before.lambdaUrl());

        // THEN the waiting command follows the new stack and returns how the run ended (its execution was cut)
        assertThat(wait.waitFor(5, TimeUnit.MINUTES)).as(java.nio.file.Files.readString(err)).isTrue();
        assertThat(java.nio.file.Files.readString(err)).contains("the local stack was restarted");
        var answer = dev.mlops.core.Json.MAPPER.readTree(java.nio.file.Files.readString(out));
        assertThat(answer.path("run_status").asText()).as(answer.toString()).isNotEqualTo("RUNNING").isNotBlank();
    }

    /** A function's execution environment (a JVM running {@code EnvironmentMain}; the JDK cuts long command lines). */
    private static boolean isEnvironment(ProcessHandle p) {
        try {
            return java.nio.file.Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"),
                    StandardCharsets.ISO_8859_1).contains(dev.mlops.local.runtime.EnvironmentMain.class.getName());
        } catch (IOException gone) {
            return false;
        }
    }

    private interface Stopper {
        void stop(Process p) throws Exception;
    }

    private void stopAndCheckNothingRemains(Process process, RuntimeInfo info, Stopper stopper) throws Exception {
        List<ProcessHandle> emulators = new ArrayList<>();
        for (long pid : info.emulatorPids()) {
            ProcessHandle.of(pid).ifPresent(h -> {
                emulators.add(h);
                h.descendants().forEach(emulators::add);
            });
        }
        assertThat(emulators).hasSizeGreaterThanOrEqualTo(4); // watchdog + S3Mock JVM, dynalite, Step Functions
        // The functions' execution environments too (the registry's, at least: it reconciles runs at start-up).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> process.descendants().anyMatch(LocalUpProcessIT::isEnvironment));
        process.descendants().filter(LocalUpProcessIT::isEnvironment).forEach(emulators::add);
        stopper.stop(process);
        boolean exited = process.waitFor(90, TimeUnit.SECONDS);
        assertThat(exited).as("local up exited; its log:%n%s", exited ? "" : Files.readString(home.resolve("up.log")))
                .isTrue();
        for (ProcessHandle h : emulators) {
            h.onExit().get(20, TimeUnit.SECONDS);
            assertThat(h.isAlive()).as("emulator process " + h.pid() + " " + h.info().command().orElse("")).isFalse();
        }
    }

    private Process localUp(String... jvmOptions) throws IOException {
        ProcessBuilder up = command(List.of(jvmOptions), "local", "up", "--json");
        // As a terminal starts it: Ctrl-C's signal at its default. A build started in the background by a shell
        // without job control runs with SIGINT ignored, which every child inherits; exec keeps the default set here.
        List<String> withCtrlC = new ArrayList<>(List.of("python3", "-c", "import os, signal, sys;"
                + " signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"));
        withCtrlC.addAll(up.command());
        Process p = up.command(withCtrlC).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(home.resolve("up.log").toFile()).start();
        started.add(p);
        return p;
    }

    private void run(String... args) throws Exception {
        Process p = command(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    private static void signal(Process p, String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor()).isZero();
    }

    private ProcessBuilder command(String... args) {
        return command(List.of(), args);
    }

    private ProcessBuilder command(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dmlops.root=" + Repo.root()));
        command.addAll(jvmOptions);
        command.add("dev.mlops.local.cli.Main");
        command.addAll(List.of(args));
        command.addAll(List.of("--home", home.toString()));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    }

    private RuntimeInfo awaitRunning() {
        return org.awaitility.Awaitility.await("local up running (log: " + home.resolve("up.log") + ")")
                .atMost(java.time.Duration.ofSeconds(120)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> RuntimeInfo.readLive(home).orElse(null), java.util.Objects::nonNull);
    }
}

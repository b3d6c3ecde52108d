package dev.mlops.local;

import dev.mlops.local.runtime.RuntimeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The AWS CLI v2 and boto3 against {@code ./mlops local up}, knowing only what {@code local up --json} prints:
 * {@code src/test/clients/real-clients.sh} uploads with {@code aws s3 cp} (which runs the pipeline), lists and reads
 * S3, queries DynamoDB, lists, describes and starts executions and reads their history, lists and invokes functions
 * by logical and physical name (asynchronously: 202, empty), and puts events; then the same with boto3. Needs
 * Debian's {@code awscli} (v2; {@code .ci/run} installs it) and boto3 in python3: without them it is skipped, saying so.
 */
class RealClientsIT {

    @TempDir
    Path home;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    @Test
    void theAwsCliV2AndBoto3_shouldWorkAgainstLocalUp() throws Exception {
        String cli = System.getenv().getOrDefault("AWS_CLI", "/usr/bin/aws");
        Assumptions.assumeTrue(version(cli).startsWith("aws-cli/2."),
                "the AWS CLI v2 is not installed at " + cli + " (apt-get install awscli; .ci/run does): skipped");
        Assumptions.assumeTrue(run(List.of("python3", "-c", "import boto3")) == 0,
                "boto3 is not importable by python3: skipped");

        // GIVEN `./mlops local up --json`, and what it printed
        Path description = home.resolve("stack.json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dmlops.root=" + Repo.root(),
                "-Dmlops.iam.usageDir=" + System.getProperty("mlops.iam.usageDir", ""), "dev.mlops.local.cli.Main",
                "local", "up", "--json", "--home", home.resolve("stack").toString()));
        Process up = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(description.toFile()).redirectError(home.resolve("up.log").toFile()).start();
        started.add(up);
        await("local up (log " + home.resolve("up.log") + ")").atMost(Duration.ofSeconds(120))
                .until(() -> RuntimeInfo.readLive(home.resolve("stack")).isPresent() && Files.size(description) > 0
                        && Files.readString(description).strip().endsWith("}"));

        // WHEN the clients script runs against it
        Process script = new ProcessBuilder(Repo.file("infra/local/src/test/clients/real-clients.sh").toString(),
                description.toString(), Repo.file("data/iris.csv").toString())
                .redirectErrorStream(true).redirectOutput(home.resolve("clients.log").toFile()).start();
        assertThat(script.waitFor(10, TimeUnit.MINUTES)).as("the clients script ended").isTrue();

        // THEN every check passed
        String log = Files.readString(home.resolve("clients.log"));
        System.out.println(log);
        assertThat(script.exitValue()).as(log).isZero();
        assertThat(log).contains("real clients: ").contains("checks passed (AWS CLI aws-cli/2.");
    }

    private static String version(String cli) {
        try {
            Process p = new ProcessBuilder(cli, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out.strip() : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static int run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}

package dev.mlops.local;

import dev.mlops.core.domain.UploadOutcome;
import dev.mlops.core.domain.UploadStatus;
import dev.mlops.core.model.Sha256;
import dev.mlops.core.pipeline.RunRequest;
import dev.mlops.local.runtime.LocalEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local S3 notifications, where they broke before: a key with a control character (which S3Mock's listing
 * cannot carry without {@code encoding-type=url}) neither stops the watcher nor goes without an outcome, and the
 * same bytes uploaded again to the same key are a new upload that is delivered (a new S3 version), not skipped.
 */
@ExtendWith(LocalEnvironmentExtension.class)
class S3NotificationsIT {

    @Test
    void aKeyWithAControlCharacter_shouldGetAnOutcome_andNotStopTheUploadsAfterIt(LocalEnvironment env) throws Exception {
        // GIVEN an upload whose key holds \u0001, then an ordinary one
        StackPorts stack = new StackPorts(env);
        byte[] iris = Files.readAllBytes(Repo.file("data/iris.csv"));
        String odd = "incoming/notif-it/a\u0001b.csv";
        String oddVersion = put(env, stack, odd, iris);
        String next = "incoming/notif-it/after.csv";
        String nextVersion = put(env, stack, next, iris);
        // WHEN / THEN both get their outcome: the odd key is refused with the reason, the next one is trained
        assertThat(awaitOutcome(stack, odd, oddVersion)).satisfies(u -> {
            assertThat(u.status()).isEqualTo(UploadStatus.REJECTED);
            assertThat(u.reason()).contains("must name one file");
        });
        assertThat(awaitOutcome(stack, next, nextVersion).status()).isEqualTo(UploadStatus.VALID);
    }

    @Test
    void theSameBytesUploadedAgainToTheSameKey_shouldBeDeliveredAsANewUpload(LocalEnvironment env) throws Exception {
        // GIVEN wine uploaded and trained
        StackPorts stack = new StackPorts(env);
        byte[] wine = Files.readAllBytes(Repo.file("data/wine.csv"));
        String key = "incoming/again-it/wine.csv";
        String first = put(env, stack, key, wine);
        assertThat(awaitOutcome(stack, key, first).status()).isEqualTo(UploadStatus.VALID);
        String runId = RunRequest.runIdFor("again-it", Sha256.hex(wine));
        stack.awaitRun(runId);
        // WHEN the same file is uploaded to the same key again (same ETag, new version)
        String second = put(env, stack, key, wine);
        // THEN that upload is delivered too, and its outcome says what the bytes made before
        assertThat(second).isNotEqualTo(first);
        UploadOutcome again = awaitOutcome(stack, key, second);
        assertThat(again.status()).isEqualTo(UploadStatus.DUPLICATE);
        assertThat(again.runId()).isEqualTo(runId);
        assertThat(again.reason()).contains("run " + runId + " is SUCCEEDED, model again-it v1");
    }

    private static String put(LocalEnvironment env, StackPorts stack, String key, byte[] bytes) {
        return env.clients().s3().putObject(b -> b.bucket(stack.bucket()).key(key), RequestBody.fromBytes(bytes))
                .versionId();
    }

    private static UploadOutcome awaitOutcome(StackPorts stack, String key, String versionId) {
        return await("the outcome of " + key).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> stack.datasets().findUpload(key, versionId).orElse(null), u -> u != null && u.status().settled());
    }
}

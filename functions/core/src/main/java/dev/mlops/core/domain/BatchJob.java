package dev.mlops.core.domain;

import java.time.Instant;

/**
 * A batch scoring job as people look it up ({@code ./mlops batch list|show}): where it stands, which model version
 * scored it, its counts and where its output is.
 *
 * @param model      the model
 * @param job        the job's name
 * @param status     RUNNING, SUCCEEDED or FAILED
 * @param version    the model version used (0 until planned)
 * @param input      the input CSV's key
 * @param output     the joined CSV's key (once SUCCEEDED)
 * @param summary    the summary's key (once SUCCEEDED)
 * @param parts      parts planned
 * @param rows       rows scored or refused (once SUCCEEDED)
 * @param errors     rows refused with a reason
 * @param startedAt  when it was planned
 * @param finishedAt when it ended
 * @param reason     why it failed
 */
public record BatchJob(String model, String job, String status, int version, String input, String output,
                       String summary, int parts, long rows, long errors, Instant startedAt, Instant finishedAt,
                       String reason) {

    public static final String RUNNING = "RUNNING";
    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String FAILED = "FAILED";
}

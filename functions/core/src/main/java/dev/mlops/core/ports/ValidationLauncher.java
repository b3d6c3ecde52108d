package dev.mlops.core.ports;

import dev.mlops.core.pipeline.PartedUpload;

/**
 * Starts the validation of an upload in parts (the upload-validation state machine: a Distributed Map over its byte
 * ranges, then the merge), one execution per upload.
 */
public interface ValidationLauncher {

    /**
     * Starts the execution named after {@code upload}'s id; idempotent per name (a redelivered event finds the
     * execution it started).
     *
     * @return the execution's id
     */
    String start(PartedUpload upload);
}

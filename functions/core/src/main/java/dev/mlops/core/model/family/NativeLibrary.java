package dev.mlops.core.model.family;

import java.util.Optional;

/**
 * A native library a family needs to train and predict, which a minimal image (the Lambda Java runtime among
 * them) may lack: where it does not load, the family is skipped with the reason instead of failing.
 */
public interface NativeLibrary {

    /** Its name in a model's library versions, e.g. {@code xgboost4j}. */
    String name();

    /** Its packaged version. */
    String version();

    /** Empty when it loads here; otherwise why not (probed once per JVM). */
    Optional<String> unavailableReason();
}

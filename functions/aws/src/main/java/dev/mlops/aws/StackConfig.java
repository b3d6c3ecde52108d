package dev.mlops.aws;

/**
 * The resource names a function is given by template.yaml, read once at construction.
 * Each getter fails with the variable's name when the template did not give it to this function.
 */
public final class StackConfig {

    private StackConfig() {
    }

    public static String bucket() {
        return FunctionEnvironment.require("DATA_BUCKET");
    }

    public static String datasetsTable() {
        return FunctionEnvironment.require("DATASETS_TABLE");
    }

    public static String auditTable() {
        return FunctionEnvironment.require("AUDIT_TABLE");
    }

    public static String modelsTable() {
        return FunctionEnvironment.require("MODELS_TABLE");
    }

    public static String runsTable() {
        return FunctionEnvironment.require("RUNS_TABLE");
    }

    public static String driftTable() {
        return FunctionEnvironment.require("DRIFT_TABLE");
    }

    /** The bus registry changes are published on. */
    public static String eventBusName() {
        return FunctionEnvironment.require("EVENT_BUS_NAME");
    }

    public static String stateMachineArn() {
        return FunctionEnvironment.require("STATE_MACHINE_ARN");
    }

    /** Batch scoring jobs (BatchJobsTable). */
    public static String batchJobsTable() {
        return FunctionEnvironment.require("BATCH_TABLE");
    }

    /** The batch scoring state machine. */
    public static String batchStateMachineArn() {
        return FunctionEnvironment.require("BATCH_STATE_MACHINE_ARN");
    }
}

package dev.mlops.functions.training;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.mlops.aws.AwsClients;
import dev.mlops.aws.S3ObjectStore;
import dev.mlops.aws.StackConfig;
import dev.mlops.core.Json;
import dev.mlops.core.pipeline.TrainingTask;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** State machine task (one Map item) → {@link CandidateTraining} → the trained candidate's pointers and metrics. */
public final class TrainingHandler implements RequestStreamHandler {

    private final CandidateTraining training;

    public TrainingHandler() {
        this(new CandidateTraining(new S3ObjectStore(AwsClients.s3(), StackConfig.bucket())));
    }

    public TrainingHandler(CandidateTraining training) {
        this.training = training;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        TrainingTask task = Json.read(input.readAllBytes(), TrainingTask.class);
        output.write(Json.bytes(training.train(task)));
    }
}

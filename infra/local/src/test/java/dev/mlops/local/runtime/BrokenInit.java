package dev.mlops.local.runtime;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

import java.util.Map;

/** A handler whose construction fails, as one with a missing variable does. */
public final class BrokenInit implements RequestHandler<Map<String, Object>, String> {

    public BrokenInit() {
        throw new IllegalStateException("environment variable NEEDED is not set (see template.yaml)");
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "never";
    }
}

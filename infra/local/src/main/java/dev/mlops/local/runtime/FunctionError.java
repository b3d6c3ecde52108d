package dev.mlops.local.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An unhandled error of a function, in the shape the Lambda Java runtime reports it ({@code errorType} is the
 * exception's class name), which is what Step Functions matches {@code ErrorEquals} against. An environment that
 * ended without answering (timed out, killed over its memory, crashed) reports a message and no type, as Lambda
 * does, so Step Functions sees {@code Lambda.Unknown}.
 */
public record FunctionError(String errorType, String errorMessage, List<String> stackTrace) {

    /** The error of a throwable the handler threw (or its construction). */
    public static FunctionError of(Throwable t) {
        Throwable root = t;
        while ((root instanceof java.lang.reflect.InvocationTargetException || root instanceof java.util.concurrent.CompletionException)
                && root.getCause() != null) {
            root = root.getCause();
        }
        List<String> trace = java.util.Arrays.stream(root.getStackTrace()).limit(20).map(StackTraceElement::toString).toList();
        return new FunctionError(root.getClass().getName(), String.valueOf(root.getMessage()), trace);
    }

    /** An error with no type: the environment ended without an answer, for the reason given. */
    public static FunctionError untyped(String message) {
        return new FunctionError(null, message, List.of());
    }

    /** One line for logs: {@code type: message}, or the message alone. */
    public String summary() {
        return errorType == null ? errorMessage : errorType + ": " + errorMessage;
    }

    /** The error as Lambda's Invoke API returns it (camelCase keys, as AWS writes them; no type when it has none). */
    public Map<String, Object> payload() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("errorMessage", errorMessage);
        if (errorType != null) {
            out.put("errorType", errorType);
            out.put("stackTrace", stackTrace);
        }
        return out;
    }
}

package dev.mlops.local.runtime;

import java.util.List;

/**
 * An unhandled error of a function, in the shape the Lambda Java runtime reports it
 * ({@code errorType} is the exception's class name), which is what Step Functions matches
 * {@code ErrorEquals} against.
 */
public record FunctionError(String errorType, String errorMessage, List<String> stackTrace) {

    static FunctionError of(Throwable t) {
        Throwable root = t;
        while ((root instanceof java.lang.reflect.InvocationTargetException || root instanceof java.util.concurrent.CompletionException)
                && root.getCause() != null) {
            root = root.getCause();
        }
        List<String> trace = java.util.Arrays.stream(root.getStackTrace()).limit(20).map(StackTraceElement::toString).toList();
        return new FunctionError(root.getClass().getName(), String.valueOf(root.getMessage()), trace);
    }

    /** The error as Lambda's Invoke API returns it (camelCase keys, as AWS writes them). */
    public java.util.Map<String, Object> payload() {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("errorType", errorType);
        out.put("errorMessage", errorMessage);
        out.put("stackTrace", stackTrace);
        return out;
    }
}

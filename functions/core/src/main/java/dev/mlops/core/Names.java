package dev.mlops.core;

import java.util.regex.Pattern;

/**
 * Dataset and model names. They become S3 prefixes, DynamoDB keys and execution names, so they
 * follow one strict pattern: lower-case letters, digits, '-' and '_', starting with a letter or digit,
 * at most 40 characters (an execution name is the dataset plus a 32-character version prefix).
 */
public final class Names {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    private Names() {
    }

    /** True when {@code name} is a valid dataset or model name. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /**
     * Returns {@code name} when valid.
     *
     * @throws IllegalArgumentException naming the kind of name and the rule it breaks
     */
    public static String require(String kind, String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException(kind + " name " + quote(name)
                    + " is invalid: use 1-40 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
        }
        return name;
    }

    private static String quote(String s) {
        return s == null ? "null" : '"' + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + '"';
    }
}

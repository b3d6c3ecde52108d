package dev.mlops.core.model.family;

import dev.mlops.core.data.Numbers;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A candidate's hyper-parameters as given (strings, as they travel in payloads and configs), read
 * with the family's defaults and checked: an unknown name or a malformed value is an
 * {@link IllegalArgumentException} naming the parameter and what it accepts.
 */
final class HyperParameters {

    private final String family;
    private final Map<String, String> given;
    private final Map<String, String> effective = new TreeMap<>();

    HyperParameters(String family, Map<String, String> given, Set<String> known) {
        this.family = family;
        this.given = given;
        for (String k : given.keySet()) {
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unknown hyper-parameter \"" + k + "\" for " + family
                        + "; supported: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    /** Every parameter the trainer used, defaults included (for the leaderboard and the model card). */
    Map<String, String> effective() {
        return Map.copyOf(effective);
    }

    int positiveInt(String key, int dflt) {
        return atLeast(key, dflt, 1, "a positive integer");
    }

    /** A non-negative integer (0 switches something off). */
    int nonNegativeInt(String key, int dflt) {
        return atLeast(key, dflt, 0, "a non-negative integer");
    }

    private int atLeast(String key, int dflt, int min, String what) {
        String v = given.get(key);
        if (v == null) {
            effective.put(key, Integer.toString(dflt));
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min) {
                throw new NumberFormatException();
            }
            effective.put(key, Integer.toString(i));
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be " + what + ", got \"" + v
                    + "\" (" + family + ")");
        }
    }

    /** A positive integer, or {@code none} (no limit: {@link Integer#MAX_VALUE}). */
    int depth(String key, int dflt) {
        String v = given.get(key);
        if (v != null && v.trim().equalsIgnoreCase("none")) {
            effective.put(key, "none");
            return Integer.MAX_VALUE;
        }
        if (v == null && dflt == Integer.MAX_VALUE) {
            effective.put(key, "none");
            return dflt;
        }
        try {
            return positiveInt(key, dflt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be a positive integer or \"none\", got \""
                    + v + "\" (" + family + ")");
        }
    }

    double positive(String key, double dflt) {
        return number(key, dflt, false);
    }

    double nonNegative(String key, double dflt) {
        return number(key, dflt, true);
    }

    /** A number in (0, 1]. */
    double fraction(String key, double dflt) {
        double d = positive(key, dflt);
        if (d > 1) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be in (0, 1], got \"" + given.get(key)
                    + "\" (" + family + ")");
        }
        return d;
    }

    /**
     * The fraction of features tried at each split: a number in (0, 1], {@code sqrt} or
     * {@code log2} (of the number of model features, as scikit-learn's {@code max_features}).
     */
    float featureFraction(String key, String dflt, int features) {
        String v = given.getOrDefault(key, dflt).trim().toLowerCase(Locale.ROOT);
        effective.put(key, v);
        int n = Math.max(1, features);
        double k;
        if (v.equals("sqrt")) {
            k = Math.max(1, Math.floor(Math.sqrt(n)));
        } else if (v.equals("log2")) {
            k = Math.max(1, Math.floor(Math.log(n) / Math.log(2)));
        } else if (Numbers.isNumber(v) && Numbers.parse(v) > 0 && Numbers.parse(v) <= 1) {
            return (float) Numbers.parse(v);
        } else {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be sqrt, log2 or a number in (0, 1], got \""
                    + v + "\" (" + family + ")");
        }
        // Tribuo draws round(fraction * n) features; just below 1 keeps a random forest valid (it refuses 1.0).
        return k >= n ? Math.nextDown(1f) : (float) (k / n);
    }

    String choice(String key, String dflt, Set<String> allowed) {
        String v = given.getOrDefault(key, dflt).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be one of "
                    + String.join(", ", new TreeSet<>(allowed)) + ", got \"" + given.get(key) + "\" (" + family + ")");
        }
        effective.put(key, v);
        return v;
    }

    private double number(String key, double dflt, boolean zeroAllowed) {
        String v = given.get(key);
        if (v == null) {
            effective.put(key, format(dflt));
            return dflt;
        }
        if (!Numbers.isNumber(v) || Numbers.parse(v) < 0 || (!zeroAllowed && Numbers.parse(v) == 0)) {
            throw new IllegalArgumentException("hyper-parameter \"" + key + "\" must be a "
                    + (zeroAllowed ? "non-negative" : "positive") + " number, got \"" + v + "\" (" + family + ")");
        }
        double d = Numbers.parse(v);
        effective.put(key, format(d));
        return d;
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}

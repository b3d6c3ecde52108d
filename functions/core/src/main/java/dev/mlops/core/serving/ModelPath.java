package dev.mlops.core.serving;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The path of a model API request as {@link ServingService.Request#target()} takes it: what follows {@value
 * #PREFIX}, each segment percent-decoded as API Gateway decodes path parameters ({@code +} stays a plus; an
 * encoded slash becomes a slash, which then fails the model-name check).
 */
public final class ModelPath {

    /** Where every route of the model API starts. */
    public static final String PREFIX = "/v1/models/";

    private ModelPath() {
    }

    /**
     * The request's target.
     *
     * @param rawPath        the raw path as the request arrived (null when the event carries none)
     * @param modelParameter what stands for the target when the raw path is absent or elsewhere: the {@code model}
     *                       path parameter, as the event gives it
     * @return the target, or null when the path's percent-encoding is broken
     */
    public static String target(String rawPath, String modelParameter) {
        if (rawPath == null || !rawPath.startsWith(PREFIX)) {
            return modelParameter;
        }
        String rest = rawPath.substring(PREFIX.length());
        List<String> segments = List.of(rest.split("/", -1));
        StringBuilder out = new StringBuilder(rest.length());
        for (int i = 0; i < segments.size(); i++) {
            String decoded = percentDecode(segments.get(i));
            if (decoded == null) {
                return null;
            }
            out.append(i == 0 ? "" : "/").append(decoded);
        }
        return out.toString();
    }

    private static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

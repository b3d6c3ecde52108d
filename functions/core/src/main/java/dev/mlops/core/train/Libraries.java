package dev.mlops.core.train;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Versions of the libraries a model was trained with, for the tracking record and the model card. */
public final class Libraries {

    private Libraries() {
    }

    /** Tribuo's and Java's versions, and those of the native libraries the family uses. */
    public static Map<String, String> versions(String algorithm) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("tribuo", org.tribuo.Tribuo.VERSION);
        v.put("java", Runtime.version().toString());
        if (Family.XGBOOST.id().equals(algorithm)) {
            v.put("xgboost4j", mavenVersion("ml.dmlc", "xgboost4j_2.12"));
        }
        return v;
    }

    private static String mavenVersion(String group, String artifact) {
        String path = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Libraries.class.getResourceAsStream(path)) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}

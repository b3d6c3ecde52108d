package dev.mlops.core.train;

import dev.mlops.core.model.family.Family;
import dev.mlops.core.model.family.NativeLibrary;

import java.util.LinkedHashMap;
import java.util.Map;

/** Versions of the libraries a model was trained with, for the tracking record and the model card. */
public final class Libraries {

    private Libraries() {
    }

    /** Tribuo's and Java's versions, and those of the native libraries the family uses. */
    public static Map<String, String> versions(Family family) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("tribuo", org.tribuo.Tribuo.VERSION);
        v.put("java", Runtime.version().toString());
        for (NativeLibrary library : family.nativeLibraries()) {
            v.put(library.name(), library.version());
        }
        return v;
    }
}

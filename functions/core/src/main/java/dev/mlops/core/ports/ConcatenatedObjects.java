package dev.mlops.core.ports;

import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Objects read one after the other as one stream, each opened when the one before it is done ({@link
 * SequenceInputStream} asks for the next stream only then), so a join of many holds one connection at a time.
 */
final class ConcatenatedObjects {

    private ConcatenatedObjects() {
    }

    /** The sources' latest versions in order; reading it throws IllegalStateException for a missing one. */
    static InputStream stream(ObjectStore store, List<String> sources) {
        Iterator<String> keys = sources.iterator();
        return new SequenceInputStream(new java.util.Enumeration<>() {
            @Override
            public boolean hasMoreElements() {
                return keys.hasNext();
            }

            @Override
            public InputStream nextElement() {
                if (!keys.hasNext()) {
                    throw new NoSuchElementException();
                }
                String key = keys.next();
                return store.open(key, null).orElseThrow(() -> new IllegalStateException(key + " is missing"));
            }
        });
    }
}

package dev.mlops.local.runtime;

import java.lang.reflect.Field;

/** Native memory taken and written to, outside the Java heap (what -Xmx cannot bound, and the runtime must). */
final class NativeMemory {

    private NativeMemory() {
    }

    static void touch(long bytes) {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
            long address = unsafe.allocateMemory(bytes);
            for (long at = 0; at < bytes; at += 4096) {
                unsafe.putByte(address + at, (byte) 1);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

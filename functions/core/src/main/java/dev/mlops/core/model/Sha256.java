package dev.mlops.core.model;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helper. */
public final class Sha256 {

    private Sha256() {
    }

    /**
     * Lower-case hexadecimal SHA-256 of some bytes.
     *
     * @param bytes input
     * @return 64 lower-case hex characters
     */
    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}

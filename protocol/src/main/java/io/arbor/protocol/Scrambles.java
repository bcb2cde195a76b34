package io.arbor.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * The password math of {@code mysql_native_password} (SHA-1) and {@code caching_sha2_password} (SHA-256).
 * The server side needs only the double hash of the password, never the password itself.
 */
public final class Scrambles {
    public static final int NONCE_LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Scrambles() {}

    /** 20 printable, non-NUL random bytes, as MySQL servers send them. */
    public static byte[] nonce() {
        byte[] n = new byte[NONCE_LENGTH];
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) (33 + RANDOM.nextInt(94));
        }
        return n;
    }

    /** SHA1(SHA1(password)): what a server stores for mysql_native_password. */
    public static byte[] nativeStage2(String password) {
        return sha1(sha1(password.getBytes(StandardCharsets.UTF_8)));
    }

    /** SHA256(SHA256(password)): what the caching_sha2 fast path checks against. */
    public static byte[] sha2Stage2(String password) {
        return sha256(sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    /** Client side of mysql_native_password: SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))). */
    public static byte[] nativeScramble(String password, byte[] nonce) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        byte[] stage1 = sha1(password.getBytes(StandardCharsets.UTF_8));
        return xor(stage1, sha1(nonce, sha1(stage1)));
    }

    /** Client side of caching_sha2_password: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce). */
    public static byte[] sha2Scramble(String password, byte[] nonce) {
        if (password.isEmpty()) {
            return new byte[0];
        }
        byte[] stage1 = sha256(password.getBytes(StandardCharsets.UTF_8));
        return xor(stage1, sha256(sha256(stage1), nonce));
    }

    public static boolean checkNative(byte[] response, byte[] nonce, byte[] stage2) {
        if (response.length != 20) {
            return false;
        }
        byte[] candidate = xor(response, sha1(nonce, stage2));
        return MessageDigest.isEqual(sha1(candidate), stage2);
    }

    public static boolean checkSha2(byte[] response, byte[] nonce, byte[] stage2) {
        if (response.length != 32) {
            return false;
        }
        byte[] candidate = xor(response, sha256(stage2, nonce));
        return MessageDigest.isEqual(sha256(candidate), stage2);
    }

    /** Full caching_sha2 authentication: the cleartext password checked against the stored double hash. */
    public static boolean checkSha2Cleartext(byte[] password, byte[] stage2) {
        return MessageDigest.isEqual(sha256(sha256(password)), stage2);
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i % b.length]);
        }
        return out;
    }

    static byte[] sha1(byte[]... parts) {
        return digest("SHA-1", parts);
    }

    static byte[] sha256(byte[]... parts) {
        return digest("SHA-256", parts);
    }

    private static byte[] digest(String algorithm, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.arbor.topo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * What a server keeps of a password so that both MySQL auth plugins can check it, and nothing more: the stage-2
 * hashes, lowercase hex. {@code mysqlNativePassword} is SHA1(SHA1(password)), what MySQL itself stores for
 * {@code mysql_native_password} (its {@code *HEX} form); {@code cachingSha2Password} is SHA256(SHA256(password)),
 * which the {@code caching_sha2_password} fast path checks a scramble against and its full path (and HTTP Basic) a
 * cleartext password against. Neither is enough to log in: a client proves it knows the stage-1 hash (SHA1 or
 * SHA256 of the password), which a stage-2 hash does not reveal, though it does together with a login captured off
 * a connection without TLS (as with MySQL's own {@code mysql.user}); so the topology stays owner-only all the same.
 * The same math is on the protocol side ({@code Scrambles}); it is repeated here because the topology depends on no
 * other module.
 *
 * <p>{@link #toString()} shows neither hash, so a credential in a log line leaks nothing.
 */
public record PasswordHashes(String mysqlNativePassword, String cachingSha2Password) {
    private static final HexFormat HEX = HexFormat.of();

    public PasswordHashes {
        mysqlNativePassword = hex("mysqlNativePassword", mysqlNativePassword, 20);
        cachingSha2Password = hex("cachingSha2Password", cachingSha2Password, 32);
    }

    /** The hashes of {@code password}. */
    public static PasswordHashes of(String password) {
        requireNonNull(password, "password is null");
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        return new PasswordHashes(HEX.formatHex(digest("SHA-1", digest("SHA-1", utf8))),
                HEX.formatHex(digest("SHA-256", digest("SHA-256", utf8))));
    }

    /** SHA1(SHA1(password)), 20 bytes. */
    public byte[] nativeStage2() {
        return HEX.parseHex(mysqlNativePassword);
    }

    /** SHA256(SHA256(password)), 32 bytes. */
    public byte[] sha2Stage2() {
        return HEX.parseHex(cachingSha2Password);
    }

    @Override
    public String toString() {
        return "PasswordHashes[hidden]";
    }

    private static String hex(String what, String value, int bytes) {
        requireNonNull(value, what + " is null");
        String lower = value.toLowerCase(java.util.Locale.ROOT);
        if (lower.length() != 2 * bytes || !lower.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException(what + " must be " + 2 * bytes + " hex digits");
        }
        return lower;
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}

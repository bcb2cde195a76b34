package io.arbor.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import javax.crypto.Cipher;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;

/** Auth plugin names and the pieces of their exchanges: auth switch, RSA key exchange. */
public final class Auth {
    public static final String NATIVE = "mysql_native_password";
    public static final String CACHING_SHA2 = "caching_sha2_password";

    private Auth() {}

    public static KeyPair generateRsaKeys() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicKeyPem(KeyPair keys) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    public static ByteBuf switchRequest(ByteBufAllocator alloc, String plugin, byte[] nonce) {
        ByteBuf buf = alloc.buffer(64).writeByte(0xFE);
        Wire.writeNulString(buf, plugin);
        return buf.writeBytes(nonce).writeByte(0);
    }

    /** Decrypts caching_sha2's RSA-OAEP password message: password + NUL, XORed with the nonce. */
    public static byte[] rsaDecryptPassword(KeyPair keys, byte[] encrypted, byte[] nonce) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.DECRYPT_MODE, keys.getPrivate());
            return stripNul(Scrambles.xor(cipher.doFinal(encrypted), nonce));
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    /** Client side: encrypts password + NUL, XORed with the nonce, for the server's public key. */
    public static byte[] rsaEncryptPassword(java.security.PublicKey key, byte[] password, byte[] nonce) {
        try {
            byte[] plain = Arrays.copyOf(password, password.length + 1);
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
            cipher.init(Cipher.ENCRYPT_MODE, key);
            return cipher.doFinal(Scrambles.xor(plain, nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] stripNul(byte[] data) {
        int len = data.length;
        while (len > 0 && data[len - 1] == 0) {
            len--;
        }
        return Arrays.copyOf(data, len);
    }
}

package io.arbor.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;

/**
 * An HTTP session as the client carries it between requests: the signed serialization of the gateway's session
 * (who, which database and variables, its last insert id, and the tablet reservation of an open transaction or of
 * state that cannot travel, such as a temporary table). Signed with the cluster's secret (HMAC-SHA256), so a client
 * can neither forge nor alter it, and any gateway of the cluster can continue the session, since the tablet owns the
 * reservation and knows why it is kept.
 *
 * @param user          the authenticated user it belongs to
 * @param database      current database
 * @param variables     session variables beyond the pool's baseline, as SQL literals
 * @param lastInsertId  LAST_INSERT_ID() of the session
 * @param tablet        alias of the tablet holding the reservation, or null
 * @param reservation   tablet reservation id, 0 for none
 * @param inTransaction whether a transaction is open
 * @param nextTransaction {@code SET TRANSACTION} statements kept for the next transaction
 * @param ddlStrategy   the session's {@code @@ddl_strategy} as set, or null for the default
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record SessionToken(String user, String database, Map<String, String> variables, long lastInsertId,
                           String tablet, long reservation, boolean inTransaction, java.util.List<String> nextTransaction,
                           String ddlStrategy) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SessionToken {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        nextTransaction = nextTransaction == null ? java.util.List.of() : java.util.List.copyOf(nextTransaction);
    }

    /** A token without a {@code @@ddl_strategy} of its own. */
    public SessionToken(String user, String database, Map<String, String> variables, long lastInsertId, String tablet,
                        long reservation, boolean inTransaction, java.util.List<String> nextTransaction) {
        this(user, database, variables, lastInsertId, tablet, reservation, inTransaction, nextTransaction, null);
    }

    /** A token with no SET TRANSACTION pending. */
    public SessionToken(String user, String database, Map<String, String> variables, long lastInsertId, String tablet,
                        long reservation, boolean inTransaction) {
        this(user, database, variables, lastInsertId, tablet, reservation, inTransaction, java.util.List.of());
    }

    /** {@code base64url(json).base64url(hmac)} */
    public String sign(byte[] secret) {
        try {
            String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(this));
            return payload + "." + mac(secret, payload);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign session", e);
        }
    }

    /** The token, if its signature is valid; else null. */
    public static SessionToken verify(String token, byte[] secret) {
        int dot = token == null ? -1 : token.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String payload = token.substring(0, dot);
        byte[] given = token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, mac(secret, payload).getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        try {
            return JSON.readValue(Base64.getUrlDecoder().decode(payload), SessionToken.class);
        } catch (Exception e) {
            return null;
        }
    }

    private static String mac(byte[] secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

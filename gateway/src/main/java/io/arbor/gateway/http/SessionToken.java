package io.arbor.gateway.http;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An HTTP session as the client carries it between requests: the signed serialization of the gateway's session
 * (who, which database and variables, its last insert id, and the tablet reservations of an open transaction or of
 * state that cannot travel, such as a temporary table). Signed with the cluster's secret (HMAC-SHA256), so a client
 * can neither forge nor alter it, and any gateway of the cluster can continue the session, since the tablets own the
 * reservations and know why they are kept.
 *
 * <p>What the session holds on its own target (the tablet its credential's sessions run on: an unsharded branch's
 * primary, a sharded keyspace's first shard) is in {@code tablet} / {@code reservation} / {@code inTransaction}, the
 * fields a token had before sharded transactions, so that an unsharded session's token is the same in both formats:
 * tokens signed before the upgrade read as they did, and gateways of both versions continue each other's unsharded
 * sessions during a rolling upgrade. What it holds on the other shards of a sharded keyspace, and its transaction
 * there ({@code transaction_mode}, the BEGIN, the twopc id), is in {@link #sharded}, absent when there is nothing
 * (an older gateway ignores it: it would see only the first shard's part). Only shards that hold something travel.
 *
 * @param user          the authenticated user it belongs to
 * @param database      current database
 * @param variables     session variables beyond the pool's baseline, as SQL literals
 * @param lastInsertId  LAST_INSERT_ID() of the session
 * @param tablet        alias of the tablet of its own target holding the reservation, or null
 * @param reservation   that tablet's reservation id, 0 for none
 * @param inTransaction whether a transaction is open on its own target
 * @param nextTransaction {@code SET TRANSACTION} statements kept for the next transaction
 * @param ddlStrategy   the session's {@code @@ddl_strategy} as set, or null for the default
 * @param sharded       what it holds on other shards and its sharded transaction, or null for nothing and the defaults
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionToken(String user, String database, Map<String, String> variables, long lastInsertId,
                           String tablet, long reservation, boolean inTransaction, List<String> nextTransaction,
                           String ddlStrategy,
                           @JsonInclude(Include.NON_NULL)
                           Sharded sharded) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public SessionToken {
        variables = variables == null ? Map.of() : Map.copyOf(variables);
        nextTransaction = nextTransaction == null ? List.of() : List.copyOf(nextTransaction);
        if (sharded != null && sharded.isEmpty()) {
            sharded = null;
        }
    }

    /** A token holding nothing beyond its own target. */
    public SessionToken(String user, String database, Map<String, String> variables, long lastInsertId, String tablet,
                        long reservation, boolean inTransaction, List<String> nextTransaction, String ddlStrategy) {
        this(user, database, variables, lastInsertId, tablet, reservation, inTransaction, nextTransaction, ddlStrategy, null);
    }

    /** A token without a {@code @@ddl_strategy} of its own. */
    public SessionToken(String user, String database, Map<String, String> variables, long lastInsertId, String tablet,
                        long reservation, boolean inTransaction, List<String> nextTransaction) {
        this(user, database, variables, lastInsertId, tablet, reservation, inTransaction, nextTransaction, null);
    }

    /** A token with no SET TRANSACTION pending. */
    public SessionToken(String user, String database, Map<String, String> variables, long lastInsertId, String tablet,
                        long reservation, boolean inTransaction) {
        this(user, database, variables, lastInsertId, tablet, reservation, inTransaction, List.of());
    }

    /**
     * What a session of a sharded keyspace holds beyond its own target, and its transaction there (the gateway's
     * {@code ShardedTransaction}). Short JSON names: the token travels with every request.
     *
     * @param shards what it holds on each other target, one entry per target that holds something, least recently
     *               used first (the order its COMMIT goes in)
     * @param own    where its own target's part (the token's first fields) comes in that order: 0 for first
     * @param mode   its {@code transaction_mode} ({@code SINGLE}, {@code TWOPC}), or null for the default
     * @param begin  the statement that opened its explicit transaction, or null when none is open
     * @param dtid   the two-phase commit's id once a shard was reached under twopc, or null
     */
    @JsonInclude(Include.NON_DEFAULT)
    public record Sharded(@JsonProperty("h") List<Held> shards,
                          @JsonProperty("o") int own,
                          @JsonProperty("m") String mode,
                          @JsonProperty("b") String begin,
                          @JsonProperty("d") String dtid) {
        public Sharded {
            shards = shards == null ? List.of() : List.copyOf(shards);
            own = Math.max(0, Math.min(own, shards.size()));
        }

        /** Whether it says nothing (then the token carries none). */
        @JsonIgnore
        public boolean isEmpty() {
            return shards.isEmpty() && mode == null && begin == null && dtid == null;
        }
    }

    /**
     * What the session holds on one target: a gateway {@code Session.Shard}.
     *
     * @param keyspace      the target's keyspace
     * @param shard         the target's shard
     * @param type          the target's tablet type ({@code PRIMARY}, ...)
     * @param tablet        alias of the tablet holding it
     * @param reservation   its reservation id there, 0 for none
     * @param inTransaction whether a transaction is open there
     */
    public record Held(@JsonProperty("k") String keyspace,
                       @JsonProperty("s") String shard,
                       @JsonProperty("t") String type,
                       @JsonProperty("a") String tablet,
                       @JsonProperty("r") long reservation,
                       @JsonProperty("x") boolean inTransaction) {}

    /** Whether a transaction is open anywhere (what the API's {@code inTransaction} tells the client). */
    public boolean anyTransaction() {
        return inTransaction || sharded != null && (sharded.begin() != null
                || sharded.shards().stream().anyMatch(Held::inTransaction));
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

package io.arbor.protocol;

import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * caching_sha2_password's cache: users (with their current password hash) who passed full authentication
 * in this process and may use the fast path from then on. A changed password drops out by itself.
 */
public final class Sha2Cache {
    private final Set<String> entries = ConcurrentHashMap.newKeySet();

    boolean contains(UserCredentials creds) {
        return entries.contains(key(creds));
    }

    void add(UserCredentials creds) {
        entries.add(key(creds));
    }

    private static String key(UserCredentials creds) {
        return creds.user() + "\0" + HexFormat.of().formatHex(creds.sha2Stage2());
    }
}

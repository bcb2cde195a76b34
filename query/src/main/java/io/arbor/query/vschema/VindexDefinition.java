package io.arbor.query.vschema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a vschema's {@code vindexes}: the vindex's type ({@code hash}, {@code lookup_unique}, ...), its params
 * (strings, as in Vitess's proto: {@code "autocommit": "true"}) and, for a lookup vindex, the table that owns it (the
 * one whose inserts and deletes keep the lookup table current). Whether the type exists and the params fit it is the
 * validator's business, so that a vschema with a typo still parses and the error can name it.
 *
 * @param type   the vindex type, e.g. {@code hash}
 * @param params the type's params, in their JSON order
 * @param owner  the owner table of a lookup vindex, {@code ""} for none
 */
public record VindexDefinition(String type, Map<String, String> params, String owner) {
    /** Validates and copies. */
    public VindexDefinition {
        requireNonNull(type, "type is null");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(params, "params is null")));
        requireNonNull(owner, "owner is null");
    }

    /** A vindex of {@code type} without params or owner (the functional ones: hash, xxhash, numeric, ...). */
    public static VindexDefinition of(String type) {
        return new VindexDefinition(type, Map.of(), "");
    }
}

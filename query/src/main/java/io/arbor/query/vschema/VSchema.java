package io.arbor.query.vschema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One keyspace's vschema, in the shape of Vitess's {@code vschema.Keyspace} proto and its JSON: whether the keyspace
 * is sharded, its vindexes by name and its tables by name. Immutable; maps keep the order they were written in, so
 * {@link #toJson()} lists things as the user did. {@link #parse} checks the JSON's shape only (unknown fields and
 * wrong types are refused, as Vitess's protojson does); the rules between the parts are {@link VSchemaValidator}'s.
 *
 * <p>Only one keyspace per vschema: the multi-keyspace {@code SrvVSchema} form (with routing rules) is not taken.
 *
 * @param sharded                whether the keyspace is split over shards
 * @param vindexes               the vindexes by name
 * @param tables                 the tables by name (case-sensitive, as Vitess's table names)
 * @param requireExplicitRouting whether the keyspace's tables are left out of unqualified name resolution
 */
public record VSchema(boolean sharded, Map<String, VindexDefinition> vindexes, Map<String, TableDefinition> tables,
                      boolean requireExplicitRouting) {
    /** Validates and copies. */
    public VSchema {
        vindexes = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(vindexes, "vindexes is null")));
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tables, "tables is null")));
    }

    /** An unsharded keyspace's vschema listing {@code tables} (often empty: every table is then routed there). */
    public static VSchema unsharded(Map<String, TableDefinition> tables) {
        return new VSchema(false, Map.of(), tables, false);
    }

    /**
     * Reads a keyspace's vschema in Vitess's JSON format ({@code vtctldclient GetVSchema}'s output, or what
     * {@code ApplyVSchema} takes). Field names are the proto's snake_case ones; the lowerCamelCase forms protojson
     * also accepts ({@code columnVindexes}) are taken too.
     *
     * @throws VSchemaException for malformed JSON, an unknown field or a field of the wrong type, naming it
     */
    public static VSchema parse(String json) {
        return VSchemaJson.parse(json);
    }

    /** This vschema in Vitess's JSON format, snake_case, default values left out; {@link #parse} reads it back equal. */
    public String toJson() {
        return VSchemaJson.write(this);
    }

    /** The table of that name, if declared. */
    public Optional<TableDefinition> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** The vindex of that name, if declared. */
    public Optional<VindexDefinition> vindex(String name) {
        return Optional.ofNullable(vindexes.get(name));
    }
}

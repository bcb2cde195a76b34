package io.arbor.query.vschema;

import io.arbor.query.vindex.Vindex;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A vschema that passed {@link VSchemaValidator}, with its vindexes created: what the planner will route by.
 *
 * @param vschema  the vschema as written
 * @param vindexes its vindexes by name, created
 */
public record ValidatedVSchema(VSchema vschema, Map<String, Vindex> vindexes) {
    /** Validates and copies. */
    public ValidatedVSchema {
        requireNonNull(vschema, "vschema is null");
        vindexes = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(vindexes, "vindexes is null")));
    }
}

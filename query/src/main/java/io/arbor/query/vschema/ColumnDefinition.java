package io.arbor.query.vschema;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a table's {@code columns}: a column the vschema declares, with its type in Vitess's type names
 * ({@code INT64}, {@code VARCHAR}, ...) when given. Vitess uses the list to expand {@code SELECT *} when it is
 * authoritative; Arbor also checks a vindex against the declared type when the live schema is not at hand.
 *
 * @param name the column's name
 * @param type Vitess's type name, {@code ""} when not declared
 */
public record ColumnDefinition(String name, String type) {
    /** Validates. */
    public ColumnDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}

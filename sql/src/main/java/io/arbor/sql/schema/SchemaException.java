package io.arbor.sql.schema;

/** A schema text this package cannot read, or a statement that cannot apply to a schema. */
public final class SchemaException extends RuntimeException {
    public SchemaException(String message) {
        super(message);
    }
}

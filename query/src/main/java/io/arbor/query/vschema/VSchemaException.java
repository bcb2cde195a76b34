package io.arbor.query.vschema;

/**
 * A vschema that cannot be used: malformed JSON, an unknown field, or a rule Vitess enforces (an undefined vindex, a
 * sharded table without a primary vindex, ...). The message follows Vitess's wording where Vitess has one, and always
 * names the table, vindex or column at fault, so that it can be shown to the user as it is (PlanetScale shows it as an
 * {@code INVALID_VSCHEMA} error when a vschema is applied).
 */
public final class VSchemaException extends IllegalArgumentException {
    /** A vschema refused for the reason the message gives. */
    public VSchemaException(String message) {
        super(message);
    }

    /** A vschema refused for the reason the message gives, on the way out of {@code cause}. */
    public VSchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}

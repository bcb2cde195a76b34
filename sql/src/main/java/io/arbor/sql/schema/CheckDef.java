package io.arbor.sql.schema;

import static java.util.Objects.requireNonNull;

/** A table-level CHECK constraint; MariaDB names unnamed ones {@code CONSTRAINT_n}. */
public record CheckDef(String name, String expression) {
    public CheckDef {
        requireNonNull(name, "name is null");
        requireNonNull(expression, "expression is null");
    }

    /** As SHOW CREATE TABLE prints it. */
    public String render() {
        return "CONSTRAINT " + Names.quote(name) + " CHECK (" + expression + ")";
    }
}

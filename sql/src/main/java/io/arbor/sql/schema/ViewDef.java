package io.arbor.sql.schema;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A view as {@code SHOW CREATE VIEW} prints it, less its DEFINER: that is the account that made it (a branch's
 * own), not part of the schema. A view made from this definition gets the account that runs the statement.
 *
 * @param definition what follows {@code AS}, as MariaDB printed it (its canonical SELECT, and any CHECK OPTION)
 */
public record ViewDef(String name, String algorithm, String security, String definition) {
    public ViewDef {
        requireNonNull(name, "name is null");
        algorithm = algorithm == null ? "UNDEFINED" : algorithm.toUpperCase(Locale.ROOT);
        security = security == null ? "DEFINER" : security.toUpperCase(Locale.ROOT);
        requireNonNull(definition, "definition is null");
    }

    /** The statement that makes or replaces this view. */
    public String render() {
        return "CREATE OR REPLACE ALGORITHM=" + algorithm + " SQL SECURITY " + security + " VIEW " + Names.quote(name)
                + " AS " + definition;
    }

    /** Whether the definition names {@code object} (a table or view), as MariaDB prints names: quoted. */
    boolean mentions(String object) {
        return definition.contains(Names.quote(object));
    }

    /**
     * The view of a {@code SHOW CREATE VIEW} text, or of a statement {@link #render()} wrote. Read the text with the
     * view's database current: otherwise MariaDB qualifies the names in it with the database, and the same view in
     * two branches reads as two definitions.
     */
    static ViewDef read(String createView) {
        DdlCursor c = new DdlCursor(createView);
        c.expect("CREATE");
        c.acceptAll("OR", "REPLACE");
        String algorithm = null;
        String security = null;
        while (!c.is("VIEW")) {
            if (c.accept("ALGORITHM")) {
                c.expect("=");
                algorithm = c.word();
            } else if (c.accept("DEFINER")) {
                c.expect("=");
                do {
                    c.take(); // `user`@`host`, in however many tokens the lexer makes of it
                } while (!c.atEnd() && !c.is("SQL") && !c.is("VIEW") && !c.is("ALGORITHM"));
            } else if (c.acceptAll("SQL", "SECURITY")) {
                security = c.word();
            } else {
                throw c.error("unexpected view attribute");
            }
        }
        c.expect("VIEW");
        String name = c.identifier();
        if (c.accept(io.arbor.sql.SqlLexer.TokenType.DOT)) {
            name = c.identifier(); // `db`.`v`: printed so when another database was current (and its body is qualified too)
        }
        c.expect("AS");
        String definition = c.rest();
        return new ViewDef(name, algorithm, security, definition);
    }
}

package io.arbor.gateway;

import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.sql.Diagnostics;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server errors as the client must read them: MariaDB checks privileges before existence and names the account it
 * runs as, which is the tablet's tenant account ({@code b_<database>_<branch>}), not the client's. So a missing
 * database reads as 1044 "access denied" and a table of another database as 1142 where a MySQL server answering the
 * client directly says 1049 and 1146, an undefined function reads as 1370, and every such message names an account
 * the client never logged in as. This turns them into what the client's own server would say, and names the client
 * where an account is named. Stateless per session: one instance per client identity.
 *
 * @param user     the client's user name, as it logged in
 * @param host     the client's host, as MySQL shows it
 * @param database the tablet's database (the tenant's own)
 */
record BackendErrors(String user, String host, String database) {
    /** Error 1044 ER_DBACCESS_DENIED_ERROR, 1142 ER_TABLEACCESS_DENIED_ERROR, 1143 ER_COLUMNACCESS_DENIED_ERROR. */
    private static final int DB_ACCESS = 1044;
    private static final int TABLE_ACCESS = 1142;
    private static final int ROUTINE_ACCESS = 1370;
    /** Schemas every server has: access to them is denied, they are not unknown. */
    private static final Set<String> SYSTEM = Set.of("mysql", "performance_schema", "sys", "information_schema");
    /** An account of Arbor's own in a message: the tenant accounts and the admin. */
    private static final Pattern INTERNAL_ACCOUNT = Pattern.compile("'(?:b_[A-Za-z0-9_]*|arbor)'@'[^']*'");
    private static final Pattern DB_DENIED = Pattern.compile("^Access denied for user '[^']*'@'[^']*' to database '(.*)'$");
    private static final Pattern TABLE_DENIED = Pattern.compile(
            "^(\\w+) command denied to user '[^']*'@'[^']*' for table [`']([^`']*)[`']\\.[`'](.*)[`']$");
    private static final Pattern ROUTINE_DENIED = Pattern.compile(
            "^execute command denied to user '[^']*'@'[^']*' for routine '([^'.]*)\\.(.*)'$");

    /**
     * A server error as the client must read it, or null when it reads right as it is. {@code call}: the statement
     * is a CALL, so a routine it may not run is a procedure, not a function.
     */
    MySqlException translate(int code, String message, boolean call) {
        switch (code) {
            case DB_ACCESS -> {
                Matcher m = DB_DENIED.matcher(message);
                if (m.matches() && !m.group(1).equals(database) && !SYSTEM.contains(m.group(1).toLowerCase(Locale.ROOT))) {
                    return MySqlError.ER_BAD_DB.exception(m.group(1));
                }
            }
            case TABLE_ACCESS -> {
                Matcher m = TABLE_DENIED.matcher(message);
                if (m.matches() && !m.group(2).equals(database) && !SYSTEM.contains(m.group(2).toLowerCase(Locale.ROOT))) {
                    // Another database: none is there for the tenant, so its table is not either.
                    return MySqlError.ER_NO_SUCH_TABLE.exception(m.group(2), m.group(3));
                }
            }
            case ROUTINE_ACCESS -> {
                Matcher m = ROUTINE_DENIED.matcher(message);
                if (m.matches()) {
                    // The tenant may run no stored routine (Arbor refuses to create them): the one called is not there.
                    return MySqlError.ER_SP_DOES_NOT_EXIST.exception(call ? "PROCEDURE" : "FUNCTION", m.group(1) + "." + m.group(2));
                }
            }
            default -> {
            }
        }
        return null;
    }

    /** A server error as the client must read it: translated, or its accounts named as the client; else itself. */
    MySqlException translate(MySqlException e, boolean call) {
        MySqlException t = translate(e.code(), e.getMessage(), call);
        if (t != null) {
            return t;
        }
        String named = nameClient(e.getMessage());
        return named == e.getMessage() || e.error() != null ? e : e.reworded(named);
    }

    /** A condition of SHOW WARNINGS as the client must read it. */
    Diagnostics.Condition translate(Diagnostics.Condition c) {
        MySqlException t = translate(c.code(), c.message(), false);
        if (t != null) {
            return new Diagnostics.Condition(c.level(), t.code(), t.getMessage());
        }
        String named = nameClient(c.message());
        return named == c.message() ? c : new Diagnostics.Condition(c.level(), c.code(), named);
    }

    /** {@code message} with Arbor's accounts replaced by the client's; the same instance when none is named. */
    String nameClient(String message) {
        if (message.indexOf('@') < 0) {
            return message;
        }
        Matcher m = INTERNAL_ACCOUNT.matcher(message);
        if (!m.find()) {
            return message;
        }
        return m.replaceAll(Matcher.quoteReplacement("'" + user.replace("'", "''") + "'@'" + host.replace("'", "''") + "'"));
    }
}

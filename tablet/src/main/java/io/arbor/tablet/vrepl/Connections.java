package io.arbor.tablet.vrepl;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the row stream and online DDL get their connections: blocking JDBC connections to the tablet's
 * {@code mariadbd} on the admin account, used on their own threads (never an event loop), and the same server's
 * address for the binlog tail.
 */
public interface Connections {
    /**
     * A new connection, autocommit on, READ COMMITTED: the row stream's {@code INSERT ... SELECT}s then read the source
     * without locks (see its barrier). The caller closes it.
     */
    Connection open() throws SQLException;

    /** The server and account for a binlog tail. */
    BinlogTail.Endpoint endpoint();

    /** Connections to {@code host:port} as {@code user}. */
    static Connections to(String host, int port, String user, String password) {
        String url = "jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=5000&socketTimeout=0"
                + "&sessionVariables=tx_isolation='READ-COMMITTED'";
        BinlogTail.Endpoint endpoint = new BinlogTail.Endpoint(host, port, user, password);
        return new Connections() {
            @Override
            public Connection open() throws SQLException {
                return DriverManager.getConnection(url, user, password);
            }

            @Override
            public BinlogTail.Endpoint endpoint() {
                return endpoint;
            }
        };
    }
}

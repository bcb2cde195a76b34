package io.arbor.gateway;

import io.arbor.protocol.ColumnDefinitions;
import io.arbor.protocol.MySqlError;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.RelayPolicy;
import io.arbor.protocol.Responses;
import io.netty.buffer.ByteBuf;

/**
 * What the gateway changes in a response it relays to a MySQL client: the row limit (--max-rows), MariaDB's JSON
 * columns typed as MySQL 8 types them (from the extended metadata the backend connections ask for), and the
 * gateway's statement id in a prepare's answer, and server errors as the client's own server would word them
 * ({@link BackendErrors}).
 *
 * @param maxRows           rows a result may have (0: no limit)
 * @param clientStatementId the id a prepare's answer carries to the client, or -1
 * @param errors            how server errors read for this client
 * @param call              the statement is a CALL (a routine it may not run is a procedure)
 */
record ClientRelayPolicy(long maxRows, int clientStatementId, BackendErrors errors, boolean call) implements RelayPolicy {
    @Override
    public MySqlException tooManyRows(long max) {
        return MySqlError.ER_TOO_MANY_ROWS.exception(max);
    }

    @Override
    public void definition(ByteBuf definition, boolean extendedMetadata) {
        if (extendedMetadata) {
            ColumnDefinitions.toMySql(definition);
        }
    }

    @Override
    public ByteBuf error(ByteBuf err) {
        MySqlException server = Responses.parseErr(err);
        MySqlException client = errors.translate(server, call);
        if (client == server) {
            return err;
        }
        ByteBuf out = Responses.err(err.alloc(), client);
        err.release();
        return out;
    }

    @Override
    public int statementId(int backendId) {
        return clientStatementId >= 0 ? clientStatementId : backendId;
    }
}

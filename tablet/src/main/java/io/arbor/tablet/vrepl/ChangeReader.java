package io.arbor.tablet.vrepl;

import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Turns MariaDB binlog events, in order, into {@link Transaction}s: a GTID event opens one, its row events add row
 * images (kept only for the tables {@code interest} accepts), an XID or a {@code COMMIT} closes it; a standalone GTID
 * (a DDL) closes with its statement. Fed by a live {@link BinlogTail} or a recorded file alike. Not thread-safe: one
 * event source feeds it.
 */
public final class ChangeReader {
    /** A row event of a table of no interest, left undecoded (see {@link BinlogTail#deserializer}). */
    static final EventData SKIPPED = new EventData() {
        @Override
        public String toString() {
            return "skipped";
        }
    };

    private final BiPredicate<String, String> interest;
    private final Consumer<Transaction> out;
    private final Map<Long, TableMapEventData> tables = new HashMap<>();
    private GtidPosition.Gtid gtid;
    private boolean standalone;
    private long timestamp;
    private List<Transaction.RowImage> rows = new ArrayList<>();

    /**
     * @param interest which (schema, table) row images to keep
     * @param out      where each committed transaction goes
     */
    public ChangeReader(BiPredicate<String, String> interest, Consumer<Transaction> out) {
        this.interest = requireNonNull(interest, "interest is null");
        this.out = requireNonNull(out, "out is null");
    }

    /** Whether the row events of a mapped table are of interest (false for a table not mapped yet). */
    boolean interested(long tableId) {
        TableMapEventData t = tables.get(tableId);
        return t != null && interest.test(t.getDatabase(), t.getTable());
    }

    /** Reads the next event. */
    public void accept(Event event) {
        EventType type = event.getHeader().getEventType();
        EventData data = event.getData();
        if (data == SKIPPED) {
            return;
        }
        switch (type) {
            case MARIADB_GTID -> {
                MariadbGtidEventData g = (MariadbGtidEventData) data;
                gtid = new GtidPosition.Gtid(g.getDomainId(), event.getHeader().getServerId(), g.getSequence());
                standalone = (g.getFlags() & MariadbGtidEventData.FL_STANDALONE) != 0;
                timestamp = event.getHeader().getTimestamp();
                rows = new ArrayList<>();
            }
            case TABLE_MAP -> {
                TableMapEventData t = (TableMapEventData) data;
                tables.put(t.getTableId(), t);
            }
            case XID -> commit(null);
            case QUERY -> {
                QueryEventData q = (QueryEventData) data;
                String sql = q.getSql().trim();
                if (sql.equalsIgnoreCase("BEGIN")) {
                    return;
                }
                if (sql.equalsIgnoreCase("COMMIT")) {
                    commit(null);
                } else if (standalone) {
                    commit(new Transaction.Statement(q.getDatabase(), sql));
                }
            }
            default -> {
                if (EventType.isWrite(type)) {
                    WriteRowsEventData w = (WriteRowsEventData) data;
                    add(w.getTableId(), w.getRows());
                } else if (EventType.isUpdate(type)) {
                    UpdateRowsEventData u = (UpdateRowsEventData) data;
                    TableMapEventData t = kept(u.getTableId());
                    if (t != null) {
                        for (Map.Entry<Serializable[], Serializable[]> e : u.getRows()) {
                            rows.add(new Transaction.RowImage(t.getDatabase(), t.getTable(), e.getKey()));
                            rows.add(new Transaction.RowImage(t.getDatabase(), t.getTable(), e.getValue()));
                        }
                    }
                } else if (EventType.isDelete(type)) {
                    DeleteRowsEventData d = (DeleteRowsEventData) data;
                    add(d.getTableId(), d.getRows());
                }
            }
        }
    }

    private TableMapEventData kept(long tableId) {
        TableMapEventData t = tables.get(tableId);
        return t != null && gtid != null && interest.test(t.getDatabase(), t.getTable()) ? t : null;
    }

    private void add(long tableId, List<Serializable[]> images) {
        TableMapEventData t = kept(tableId);
        if (t != null) {
            for (Serializable[] r : images) {
                rows.add(new Transaction.RowImage(t.getDatabase(), t.getTable(), r));
            }
        }
    }

    private void commit(Transaction.Statement statement) {
        if (gtid == null) {
            return; // a stream that started inside a transaction: its GTID was before our position
        }
        out.accept(new Transaction(gtid, rows, statement, timestamp));
        gtid = null;
        rows = new ArrayList<>();
    }
}

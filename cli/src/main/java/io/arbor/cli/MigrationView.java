package io.arbor.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How migrations print: a table and a detail page for people, JSON (every {@code SHOW VITESS_MIGRATIONS} column
 * as a field, snake_case as Vitess names them) for scripts.
 */
final class MigrationView {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final int STATEMENT_WIDTH = 60;

    /** What {@code --format} picks. */
    enum Format { HUMAN, JSON }

    private MigrationView() {}

    /** One line per migration, columns aligned, oldest first. */
    static String table(List<Migration> migrations) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"UUID", "TABLE", "STATUS", "PROGRESS", "ROWS", "ADDED", "STATEMENT"});
        for (Migration m : migrations) {
            rows.add(new String[] {m.uuid(), m.table(), statusText(m), percent(m.progress()),
                    rows(m), time(m.text("added_timestamp")), shorten(m.statement(), STATEMENT_WIDTH)});
        }
        return TextTable.rows(rows);
    }

    /** One migration, a field per line. */
    static String details(Migration m) {
        StringBuilder sb = new StringBuilder();
        line(sb, "Migration", m.uuid());
        line(sb, "Table", m.table() + "   (keyspace " + orDash(m.text("keyspace")) + ", shard " + orDash(m.text("shard")) + ")");
        line(sb, "Statement", m.statement());
        String options = m.text("options");
        line(sb, "Strategy", orDash(m.text("strategy")) + (options == null || options.isBlank() ? "" : " " + options));
        line(sb, "Status", statusText(m));
        line(sb, "Progress", percent(m.progress()) + "   (" + rows(m) + " rows" + eta(m) + ")");
        line(sb, "Added", time(m.text("added_timestamp")));
        line(sb, "Started", time(m.text("started_timestamp")));
        line(sb, "Completed", time(m.text("completed_timestamp")));
        long attempts = m.number("cutover_attempts", 0);
        if (attempts > 0) {
            line(sb, "Cut-over", attempts + (attempts == 1 ? " attempt" : " attempts"));
        }
        String reverted = m.text("reverted_uuid");
        if (reverted != null && !reverted.isBlank()) {
            line(sb, "Reverts", reverted);
        }
        String message = m.text("message");
        if (message != null && !message.isBlank()) {
            line(sb, "Message", message);
        }
        return sb.toString();
    }

    /** The status as people read it: ready-to-complete and postponed completion spelled out. */
    static String statusText(Migration m) {
        if (m.status().equals("running") && m.readyToComplete()) {
            return m.postponed() ? "running (ready to complete)" : "running (cutting over)";
        }
        return m.status();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static String percent(double progress) {
        return String.format(Locale.ROOT, "%.1f%%", progress);
    }

    static String rows(Migration m) {
        return String.format(Locale.ROOT, "%,d/%,d", m.rowsCopied(), m.tableRows());
    }

    /** Seconds as {@code 45s}, {@code 3m05s}, {@code 1h02m}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }

    private static String eta(Migration m) {
        return m.status().equals("running") && !m.readyToComplete() && m.etaSeconds() >= 0 ? ", ETA " + duration(m.etaSeconds()) : "";
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(pad(label, 12)).append(value == null ? "-" : value).append('\n');
    }

    /** A timestamp to the second ({@code TIMESTAMP(6)} sends microseconds), or a dash. */
    private static String time(String s) {
        String t = orDash(s);
        return t.length() > 19 && t.charAt(19) == '.' ? t.substring(0, 19) : t;
    }

    private static String orDash(String s) {
        return s == null || s.isBlank() ? "-" : s;
    }

    /** The statement on one line, cut to {@code width} with an ellipsis. */
    static String shorten(String s, int width) {
        if (s == null) {
            return "-";
        }
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= width ? one : one.substring(0, width - 3) + "...";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}

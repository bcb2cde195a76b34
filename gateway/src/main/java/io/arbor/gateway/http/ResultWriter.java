package io.arbor.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.arbor.protocol.MySqlException;

import java.io.IOException;
import java.util.Base64;

/**
 * Writes an Execute response the way PlanetScale's API does (protobuf JSON of Vitess's QueryResult):
 * 64-bit numbers as strings, zero values omitted, each row as lengths plus base64 of the values.
 */
final class ResultWriter {
    /** Writes the session object. */
    interface SessionWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private ResultWriter() {}

    static void write(JsonGenerator g, ResultCollector.Result r, double timingSeconds, SessionWriter session) throws IOException {
        g.writeStartObject();
        g.writeFieldName("session");
        session.write(g);
        if (r.error() != null) {
            MySqlException e = r.error();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", e.getMessage() + " (errno " + e.code() + ") (sqlstate " + e.sqlState() + ")");
            g.writeStringField("code", VitessTypes.code(e.code(), e.sqlState()));
            g.writeEndObject();
        } else {
            g.writeObjectFieldStart("result");
            if (r.rowsAffected() != 0) {
                g.writeStringField("rowsAffected", Long.toUnsignedString(r.rowsAffected()));
            }
            if (r.insertId() != 0) {
                g.writeStringField("insertId", Long.toUnsignedString(r.insertId()));
            }
            if (!r.fields().isEmpty()) {
                g.writeArrayFieldStart("fields");
                for (ResultCollector.Field f : r.fields()) {
                    writeField(g, f);
                }
                g.writeEndArray();
            }
            if (!r.rows().isEmpty()) {
                g.writeArrayFieldStart("rows");
                Base64.Encoder b64 = Base64.getEncoder();
                for (ResultCollector.Row row : r.rows()) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("lengths");
                    for (long len : row.lengths()) {
                        g.writeString(Long.toString(len));
                    }
                    g.writeEndArray();
                    if (row.values().length > 0) {
                        g.writeStringField("values", b64.encodeToString(row.values()));
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        g.writeNumberField("timing", timingSeconds);
        g.writeEndObject();
    }

    private static void writeField(JsonGenerator g, ResultCollector.Field f) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", f.name());
        g.writeStringField("type", f.type());
        stringField(g, "table", f.table());
        stringField(g, "orgTable", f.orgTable());
        stringField(g, "database", f.database());
        stringField(g, "orgName", f.orgName());
        if (f.columnLength() != 0) {
            g.writeNumberField("columnLength", f.columnLength());
        }
        if (f.charset() != 0) {
            g.writeNumberField("charset", f.charset());
        }
        if (f.decimals() != 0) {
            g.writeNumberField("decimals", f.decimals());
        }
        if (f.flags() != 0) {
            g.writeNumberField("flags", f.flags());
        }
        g.writeEndObject();
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }
}

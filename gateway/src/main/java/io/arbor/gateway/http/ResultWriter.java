package io.arbor.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.arbor.protocol.Column;
import io.arbor.protocol.MySqlException;
import io.arbor.protocol.Result;
import io.arbor.protocol.Row;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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

    static void write(JsonGenerator g, Result r, double timingSeconds, SessionWriter session) throws IOException {
        g.writeStartObject();
        g.writeFieldName("session");
        session.write(g);
        if (r.error() != null) {
            MySqlException e = r.error();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", e.getMessage() + " (errno " + e.code() + ") (sqlstate " + e.sqlState() + ")");
            g.writeStringField("code", e.vitessCode().name());
            g.writeEndObject();
        } else {
            g.writeObjectFieldStart("result");
            if (r.affectedRows() != 0) {
                g.writeStringField("rowsAffected", Long.toUnsignedString(r.affectedRows()));
            }
            if (r.insertId() != 0) {
                g.writeStringField("insertId", Long.toUnsignedString(r.insertId()));
            }
            if (!r.columns().isEmpty()) {
                g.writeArrayFieldStart("fields");
                for (Column c : r.columns()) {
                    writeField(g, c);
                }
                g.writeEndArray();
            }
            if (!r.rows().isEmpty()) {
                g.writeArrayFieldStart("rows");
                Base64.Encoder b64 = Base64.getEncoder();
                for (Row row : r.rows()) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("lengths");
                    for (int i = 0; i < row.size(); i++) {
                        g.writeString(Integer.toString(row.length(i)));
                    }
                    g.writeEndArray();
                    if (row.dataLength() > 0) {
                        ByteBuffer base64 = b64.encode(row.data());
                        g.writeStringField("values", new String(base64.array(), 0, base64.limit(), StandardCharsets.ISO_8859_1));
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

    /** One column as the API describes it: a Vitess type name, zero values omitted. */
    private static void writeField(JsonGenerator g, Column c) throws IOException {
        Column.Type t = c.type();
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("type", t.json() ? "JSON" : VitessTypes.name(t.code(), t.flags(), t.charset()));
        stringField(g, "table", c.origin().table());
        stringField(g, "orgTable", c.origin().orgTable());
        stringField(g, "database", c.origin().schema());
        stringField(g, "orgName", c.origin().orgName());
        if (t.length() != 0) {
            g.writeNumberField("columnLength", t.length());
        }
        if (t.charset() != 0) {
            g.writeNumberField("charset", t.charset());
        }
        if (t.decimals() != 0) {
            g.writeNumberField("decimals", t.decimals());
        }
        if (t.flags() != 0) {
            g.writeNumberField("flags", t.flags());
        }
        g.writeEndObject();
    }

    private static void stringField(JsonGenerator g, String name, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }
}

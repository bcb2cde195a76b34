package io.arbor.query.vschema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes {@link VSchema} as Vitess's JSON. Read by hand from Jackson's tree rather than by data binding,
 * so that each refusal names the field and the table or vindex it sits in (protojson's own messages only give a
 * line). Vitess refuses unknown fields (protojson's default), and so does this; duplicate keys too.
 */
final class VSchemaJson {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private VSchemaJson() {
    }

    static VSchema parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new VSchemaException("malformed vschema JSON: " + e.getOriginalMessage() + at, e);
        }
        if (root == null || !root.isObject()) {
            throw new VSchemaException("a vschema is a JSON object: {\"sharded\": ..., \"vindexes\": ..., \"tables\": ...}");
        }
        Fields ks = new Fields(root, "the keyspace",
                Set.of("sharded", "vindexes", "tables", "require_explicit_routing", "requireExplicitRouting"));
        Map<String, VindexDefinition> vindexes = new LinkedHashMap<>();
        ks.object("vindexes").fields().forEachRemaining(e -> vindexes.put(e.getKey(), vindex(e.getKey(), e.getValue())));
        Map<String, TableDefinition> tables = new LinkedHashMap<>();
        ks.object("tables").fields().forEachRemaining(e -> tables.put(e.getKey(), table(e.getKey(), e.getValue())));
        return new VSchema(ks.bool("sharded"), vindexes, tables, ks.bool("require_explicit_routing", "requireExplicitRouting"));
    }

    private static VindexDefinition vindex(String name, JsonNode node) {
        Fields f = new Fields(node, "vindex " + name, Set.of("type", "params", "owner"));
        Map<String, String> params = new LinkedHashMap<>();
        f.object("params").fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new VSchemaException("param \"" + e.getKey() + "\" of vindex " + name
                        + " must be a string (Vitess's params are strings: \"" + e.getKey() + "\": \""
                        + e.getValue().asText() + "\")");
            }
            params.put(e.getKey(), e.getValue().textValue());
        });
        return new VindexDefinition(f.text("type"), params, f.text("owner"));
    }

    private static TableDefinition table(String name, JsonNode node) {
        Fields f = new Fields(node, "table " + name, Set.of("type", "column_vindexes", "columnVindexes",
                "auto_increment", "autoIncrement", "columns", "pinned", "column_list_authoritative",
                "columnListAuthoritative", "source"));
        TableType type = TableType.fromJson(f.text("type"));
        List<ColumnVindexDefinition> columnVindexes = new ArrayList<>();
        for (JsonNode cv : f.array("column_vindexes", "columnVindexes")) {
            columnVindexes.add(columnVindex(name, cv));
        }
        AutoIncrementDefinition autoIncrement = null;
        JsonNode ai = f.node("auto_increment", "autoIncrement");
        if (ai != null && !ai.isNull()) {
            Fields a = new Fields(ai, "auto_increment of table " + name, Set.of("column", "sequence"));
            autoIncrement = new AutoIncrementDefinition(a.text("column"), a.text("sequence"));
        }
        List<ColumnDefinition> columns = new ArrayList<>();
        for (JsonNode c : f.array("columns")) {
            Fields cf = new Fields(c, "a column of table " + name, Set.of("name", "type"));
            columns.add(new ColumnDefinition(cf.text("name"), cf.text("type")));
        }
        return new TableDefinition(type, columnVindexes, autoIncrement, columns, f.text("pinned"),
                f.bool("column_list_authoritative", "columnListAuthoritative"), f.text("source"));
    }

    private static ColumnVindexDefinition columnVindex(String table, JsonNode node) {
        Fields f = new Fields(node, "a column vindex of table " + table, Set.of("column", "columns", "name"));
        String vindex = f.text("name");
        List<String> columns = new ArrayList<>();
        for (JsonNode c : f.array("columns")) {
            if (!c.isTextual()) {
                throw new VSchemaException("columns of vindex (" + vindex + ") and table (" + table + ") are strings");
            }
            columns.add(c.textValue());
        }
        String column = f.text("column");
        if (!column.isEmpty() && !columns.isEmpty()) {
            throw new VSchemaException("can't use column and columns at the same time in vindex (" + vindex
                    + ") and table (" + table + ")");
        }
        if (column.isEmpty() && columns.isEmpty()) {
            throw new VSchemaException("must specify at least one column for vindex (" + vindex + ") and table ("
                    + table + ")");
        }
        return new ColumnVindexDefinition(column, columns, vindex);
    }

    static String write(VSchema vschema) {
        ObjectNode root = JSON.createObjectNode();
        if (vschema.sharded()) {
            root.put("sharded", true);
        }
        if (vschema.requireExplicitRouting()) {
            root.put("require_explicit_routing", true);
        }
        if (!vschema.vindexes().isEmpty()) {
            ObjectNode vindexes = root.putObject("vindexes");
            vschema.vindexes().forEach((name, v) -> {
                ObjectNode node = vindexes.putObject(name);
                node.put("type", v.type());
                if (!v.params().isEmpty()) {
                    ObjectNode params = node.putObject("params");
                    v.params().forEach(params::put);
                }
                if (!v.owner().isEmpty()) {
                    node.put("owner", v.owner());
                }
            });
        }
        if (!vschema.tables().isEmpty()) {
            ObjectNode tables = root.putObject("tables");
            vschema.tables().forEach((name, t) -> writeTable(tables.putObject(name), t));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that does not serialize", e);
        }
    }

    private static void writeTable(ObjectNode node, TableDefinition t) {
        if (t.type() != TableType.NORMAL) {
            node.put("type", t.type().json());
        }
        if (!t.columnVindexes().isEmpty()) {
            ArrayNode cvs = node.putArray("column_vindexes");
            for (ColumnVindexDefinition cv : t.columnVindexes()) {
                ObjectNode c = cvs.addObject();
                if (!cv.column().isEmpty()) {
                    c.put("column", cv.column());
                } else {
                    cv.columns().forEach(c.putArray("columns")::add);
                }
                c.put("name", cv.name());
            }
        }
        t.autoIncrementColumn().ifPresent(ai -> node.putObject("auto_increment")
                .put("column", ai.column()).put("sequence", ai.sequence()));
        if (!t.columns().isEmpty()) {
            ArrayNode columns = node.putArray("columns");
            for (ColumnDefinition c : t.columns()) {
                ObjectNode col = columns.addObject().put("name", c.name());
                if (!c.type().isEmpty()) {
                    col.put("type", c.type());
                }
            }
        }
        if (!t.pinned().isEmpty()) {
            node.put("pinned", t.pinned());
        }
        if (t.columnListAuthoritative()) {
            node.put("column_list_authoritative", true);
        }
        if (!t.source().isEmpty()) {
            node.put("source", t.source());
        }
    }

    /** One JSON object's fields, checked against the names it may have; {@code where} names it in errors. */
    private record Fields(JsonNode node, String where, Set<String> allowed) {
        Fields {
            if (!node.isObject()) {
                throw new VSchemaException(where + " must be a JSON object, not " + node.getNodeType().name().toLowerCase());
            }
            node.fieldNames().forEachRemaining(name -> {
                if (!allowed.contains(name)) {
                    throw new VSchemaException("unknown field \"" + name + "\" in " + where);
                }
            });
        }

        JsonNode node(String... names) {
            for (String name : names) {
                if (node.has(name)) {
                    return node.get(name);
                }
            }
            return null;
        }

        String text(String name) {
            JsonNode v = node(name);
            if (v == null || v.isNull()) {
                return "";
            }
            if (!v.isTextual()) {
                throw new VSchemaException("\"" + name + "\" of " + where + " must be a string");
            }
            return v.textValue();
        }

        boolean bool(String... names) {
            JsonNode v = node(names);
            if (v == null || v.isNull()) {
                return false;
            }
            if (!v.isBoolean()) {
                throw new VSchemaException("\"" + names[0] + "\" of " + where + " must be true or false");
            }
            return v.booleanValue();
        }

        JsonNode object(String name) {
            JsonNode v = node(name);
            if (v == null || v.isNull()) {
                return JSON.createObjectNode();
            }
            if (!v.isObject()) {
                throw new VSchemaException("\"" + name + "\" of " + where + " must be a JSON object");
            }
            return v;
        }

        JsonNode array(String... names) {
            JsonNode v = node(names);
            if (v == null || v.isNull()) {
                return JSON.createArrayNode();
            }
            if (!v.isArray()) {
                throw new VSchemaException("\"" + names[0] + "\" of " + where + " must be a JSON array");
            }
            return v;
        }
    }
}

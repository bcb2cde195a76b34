package io.arbor.control.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arbor.control.BranchLint;
import io.arbor.control.DeployPlan;
import io.arbor.control.SchemaSnapshot;
import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaMerge;
import io.arbor.sql.schema.TableDef;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.arbor.control.rest.ControlApi.JSON;

/**
 * The JSON of schemas, diffs, lint results and conflicts, shared by the branch and deploy request endpoints: a
 * schema as {@code {"name", "type", "raw"}} per object (PlanetScale's branch schema), a diff as one entry per changed
 * object with its statement and its text before and after.
 */
final class SchemaViews {
    private SchemaViews() {}

    static List<ObjectNode> schema(SchemaSnapshot s) {
        List<ObjectNode> out = new ArrayList<>();
        s.tables().forEach((name, raw) -> out.add(object(name, "table", raw)));
        s.views().forEach((name, raw) -> out.add(object(name, "view", raw)));
        return out;
    }

    private static ObjectNode object(String name, String type, String raw) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("type", type);
        o.put("raw", raw);
        return o;
    }

    /** One entry per statement of {@code statements} (run on {@code plan}'s production), with the object before and after. */
    static List<ObjectNode> diff(DeployPlan plan, List<String> statements) {
        Schema merged = plan.merge() == null ? null : plan.merge().merged();
        List<ObjectNode> out = new ArrayList<>();
        for (String statement : statements) {
            String name = objectOf(statement);
            boolean view = statement.startsWith("DROP VIEW") || statement.startsWith("CREATE OR REPLACE ");
            String before = view ? plan.production().views().get(name) : plan.production().tables().get(name);
            String after = null;
            if (merged != null) {
                if (view && merged.views().containsKey(name)) {
                    after = plan.branch().views().getOrDefault(name, merged.views().get(name).render());
                } else if (!view && merged.tables().containsKey(name)) {
                    TableDef def = merged.tables().get(name);
                    String branchText = plan.branch().tables().get(name);
                    after = branchText != null && sameAsBranch(plan, name, def) ? branchText : def.render();
                }
            }
            ObjectNode o = JSON.createObjectNode();
            o.put("name", name);
            o.put("type", view ? "view" : "table");
            o.put("operation", statement.startsWith("DROP ") ? "drop" : before == null ? "create" : "alter");
            o.put("statement", statement);
            o.put("from", before);
            o.put("to", after);
            out.add(o);
        }
        return out;
    }

    private static boolean sameAsBranch(DeployPlan plan, String name, TableDef merged) {
        try {
            return Schema.fromCreateTables(List.of(plan.branch().tables().get(name))).tables().get(name).equals(merged);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The table or view a statement of the schema diff names: its first quoted name. */
    static String objectOf(String statement) {
        int open = statement.indexOf('`');
        int close = open < 0 ? -1 : statement.indexOf('`', open + 1);
        while (close > 0 && close + 1 < statement.length() && statement.charAt(close + 1) == '`') {
            close = statement.indexOf('`', close + 2);
        }
        return open < 0 || close < 0 ? "" : statement.substring(open + 1, close).replace("``", "`");
    }

    static ObjectNode lint(BranchLint.Finding f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("lint_error", f.code());
        o.put("severity", f.error() ? "error" : "warning");
        o.put("subject_type", f.subjectType());
        o.put("table_name", f.table());
        o.put("column_name", f.column());
        o.put("error_description", f.message());
        return o;
    }

    static ObjectNode conflict(SchemaMerge.Conflict c) {
        ObjectNode o = JSON.createObjectNode();
        o.put("table_name", c.table());
        o.put("object", c.object());
        o.put("message", c.message());
        return o;
    }

    /** Statements grouped by the object they change, in order. */
    static Map<String, List<String>> byObject(List<String> statements) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String s : statements) {
            out.computeIfAbsent(objectOf(s), k -> new ArrayList<>()).add(s);
        }
        return out;
    }
}

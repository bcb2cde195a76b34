package io.arbor.query;

import io.arbor.query.engine.JsonText;
import io.arbor.query.engine.Primitive;
import io.arbor.sql.StatementKind;

import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * How to run one statement shape: a tree of {@link Primitive}s, built once by the planner and cached by the
 * normalized statement ({@link PlanCache}), then run with each execution's bindings. Immutable, so one plan serves
 * many sessions at once.
 *
 * @param kind  the (first) statement's kind
 * @param query the normalized statement it was planned for
 * @param root  the primitive the executor runs
 */
public record Plan(StatementKind kind, String query, Primitive root) {
    /** Validates. */
    public Plan {
        requireNonNull(kind, "kind is null");
        requireNonNull(query, "query is null");
        requireNonNull(root, "root is null");
    }

    /** The plan as {@code VEXPLAIN PLAN} shows it: the query type and the primitives' descriptions, as JSON. */
    public String describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("QueryType", kind.name());
        m.put("Instructions", root.describe().toMap());
        return JsonText.write(m);
    }
}

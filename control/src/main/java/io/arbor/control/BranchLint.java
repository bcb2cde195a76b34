package io.arbor.control;

import io.arbor.sql.lint.InstantDdl;
import io.arbor.sql.lint.LintInput;
import io.arbor.sql.lint.LintResult;
import io.arbor.sql.lint.SchemaLint;
import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lint of a deploy request's branch (PlanetScale's lint codes, rules in module {@code sql}'s {@link SchemaLint}) and
 * whether its changes are all instant ({@link InstantDdl}): the control plane's side, which feeds them what it read
 * of the branches. Row estimates are the larger of the branch's and the target's (a development branch without
 * seed data has no rows, but its deploy copies production's).
 */
public class BranchLint {
    /**
     * One lint result.
     *
     * @param code        PlanetScale's code, e.g. {@code NO_UNIQUE_KEY}
     * @param error       whether it blocks a deploy (else a warning)
     * @param subjectType table, column, view, trigger, routine or event
     * @param table       the table it is about, or null
     * @param column      the column it is about, or null
     * @param message     what is wrong and what to do
     */
    public record Finding(String code, boolean error, String subjectType, String table, String column, String message) {}

    /** The findings for the plan's branch, against its base. */
    public List<Finding> lint(DeployPlan plan) {
        SchemaSnapshot branch = plan.branch();
        Map<String, Long> rows = new HashMap<>(branch.rows());
        plan.production().rows().forEach((table, n) -> rows.merge(table, n, Math::max));
        LintInput in = new LintInput(branch.tables(), branch.views(), branch.triggers(), branch.routines(), branch.events(),
                plan.base(), rows);
        return SchemaLint.lint(in).stream().map(r -> new Finding(r.code(), r.severity() == LintResult.Severity.ERROR,
                r.subjectType(), r.table(), r.column(), r.message())).toList();
    }

    /** Why the plan's changes are not all instant, or null when they are. */
    public String notInstant(DeployPlan plan) {
        if (plan.refusal() != null) {
            return plan.refusal();
        }
        Schema production;
        try {
            production = plan.production().schema();
        } catch (SchemaException e) {
            return e.getMessage();
        }
        return InstantDdl.notInstant(production, plan.merge().merged()).orElse(null);
    }
}

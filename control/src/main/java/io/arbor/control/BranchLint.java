package io.arbor.control;

import java.util.List;

/**
 * Lint of a deploy request's branch (PlanetScale's lint codes) and whether its changes are all instant: the
 * control plane's side of module {@code sql}'s rules.
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

    /** The findings for the plan's branch. */
    public List<Finding> lint(DeployPlan plan) {
        return List.of();
    }

    /** Why the plan's changes are not all instant, or null when they are. */
    public String notInstant(DeployPlan plan) {
        return null;
    }
}

package io.arbor.control;

import io.arbor.sql.schema.Schema;
import io.arbor.sql.schema.SchemaException;
import io.arbor.sql.schema.SchemaMerge;
import io.arbor.topo.BranchRecord;
import io.arbor.topo.MysqldAccount;
import io.arbor.topo.TabletRecord;
import io.arbor.topo.Target;
import io.arbor.topo.Topology;

import java.sql.SQLException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What deploying a branch into another would do now: both schemas read live from their primaries, the branch's base
 * (the parent's schema when it was made or last refreshed; production itself when none is recorded or the request
 * goes elsewhere than the parent), and their {@linkplain SchemaMerge three-way merge}.
 *
 * @param base       the base schema
 * @param branch     the branch's schema now, as read
 * @param production the target's schema now, as read
 * @param merge      the merge; null when a schema could not be read into the model ({@link #error} says why)
 * @param error      why there is no merge, or null
 */
public record DeployPlan(Schema base, SchemaSnapshot branch, SchemaSnapshot production, SchemaMerge.Result merge,
                         String error) {

    /** Reads both branches and merges. */
    static DeployPlan of(Topology t, String database, String branch, String into) {
        MysqldAccount admin = requireNonNull(t.mysqldAccount(), "the topology has no mysqld account");
        BranchRecord b = t.branch(database, branch).orElseThrow(
                () -> ControlException.notFound("database '" + database + "' has no branch '" + branch + "'"));
        SchemaSnapshot ours;
        SchemaSnapshot theirs;
        try {
            ours = SchemaSnapshot.read(primary(t, database, branch), admin);
            theirs = SchemaSnapshot.read(primary(t, database, into), admin);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the schemas of " + database + "/" + branch + " and "
                    + database + "/" + into + ": " + e.getMessage(), e);
        }
        Schema production;
        Schema branchSchema;
        try {
            production = theirs.schema();
        } catch (SchemaException e) {
            return new DeployPlan(null, ours, theirs, null, "the schema of " + into + " cannot be read: " + e.getMessage());
        }
        try {
            branchSchema = ours.schema();
        } catch (SchemaException e) {
            return new DeployPlan(null, ours, theirs, null, "the schema of " + branch + " cannot be deployed: " + e.getMessage());
        }
        Schema base = production;
        if (b.baseSchema() != null && into.equals(b.parent())) {
            try {
                base = SchemaSnapshot.of(b.baseSchema()).schema();
            } catch (SchemaException e) {
                base = production; // a base this version cannot read: compare two ways
            }
        }
        return new DeployPlan(base, ours, theirs, SchemaMerge.merge(base, branchSchema, production), null);
    }

    static TabletRecord primary(Topology t, String database, String branch) {
        List<TabletRecord> primaries = t.tablets(Target.primary(database, branch));
        if (primaries.isEmpty()) {
            throw ControlException.unprocessable("branch " + database + "/" + branch + " has no primary tablet");
        }
        return primaries.getFirst();
    }

    /** The statements to deploy; empty when there are none or it does not merge. */
    public List<String> statements() {
        return merge == null ? List.of() : merge.statements();
    }

    /** Why it cannot deploy (a schema that cannot be read, or conflicts), or null when it can. */
    public String refusal() {
        if (error != null) {
            return error;
        }
        if (!merge.clean()) {
            return "the branch's changes conflict with changes made to the target since the branch was made: "
                    + String.join("; ", merge.conflicts().stream().map(SchemaMerge.Conflict::message).toList());
        }
        return null;
    }
}

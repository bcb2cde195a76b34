package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code arbor migration list DATABASE BRANCH}: the branch's migrations, oldest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List a branch's migrations, oldest first.",
        footer = {"", MigrationCommand.EXIT_CODES})
final class MigrationListCommand implements Callable<Integer> {
    @Mixin
    BranchArgs branch;

    @Option(names = "--format", defaultValue = "human",
            description = "human (a table) or json (an array of objects, one field per SHOW VITESS_MIGRATIONS column)"
                    + " (default: ${DEFAULT-VALUE}).")
    MigrationView.Format format;

    @Option(names = "--status", paramLabel = "STATUS",
            description = "Only migrations in this state: queued, ready, running, complete, failed or cancelled.")
    String status;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<Migration> migrations;
        try (MigrationClient client = branch.connect()) {
            migrations = client.show(status);
        }
        if (status != null) { // LIKE matches a uuid or context too: keep the state asked for
            migrations = migrations.stream().filter(m -> m.status().equalsIgnoreCase(status)).toList();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == MigrationView.Format.JSON) {
            out.println(MigrationView.json(migrations.stream().map(Migration::fields).toList()));
        } else if (migrations.isEmpty()) {
            out.println("No migrations on " + branch.database + "/" + branch.branch + (status == null ? "" : " in state " + status)
                    + ". Start one with SET @@ddl_strategy='vitess'; ALTER TABLE ...");
        } else {
            out.print(MigrationView.table(migrations));
        }
        out.flush();
        return 0;
    }
}

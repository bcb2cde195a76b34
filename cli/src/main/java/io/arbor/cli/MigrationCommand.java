package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code arbor migration}: a branch's online schema changes, as {@code pscale} and Vitess show them. The commands
 * talk SQL to the gateway ({@code SHOW VITESS_MIGRATIONS}, {@code ALTER VITESS_MIGRATION}, {@code REVERT
 * VITESS_MIGRATION}) with the credential in {@code cluster.json}; a migration starts with an {@code ALTER TABLE}
 * sent under {@code SET @@ddl_strategy='vitess'}.
 */
@Command(name = "migration", mixinStandardHelpOptions = true,
        description = {"A branch's online schema changes (Vitess's migrations).",
                "Start one in SQL: SET @@ddl_strategy='vitess'; ALTER TABLE t ... (it answers with the migration's uuid)."},
        subcommands = {MigrationListCommand.class, MigrationShowCommand.class, MigrationCancelCommand.class,
                MigrationCompleteCommand.class, MigrationRevertCommand.class},
        footer = {"", MigrationCommand.EXIT_CODES})
final class MigrationCommand implements Runnable {
    static final String EXIT_CODES = "Exit status: 0 done; 1 failed (no such migration, no cluster running, the server"
            + " refused, or a migration waited for ended other than complete); 2 wrong usage.";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}

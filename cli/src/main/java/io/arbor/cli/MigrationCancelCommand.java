package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code arbor migration cancel DATABASE BRANCH UUID}: {@code ALTER VITESS_MIGRATION 'uuid' CANCEL}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a migration that has not ended: its shadow table is dropped and the table stays as it was."},
        footer = {"", MigrationCommand.EXIT_CODES})
final class MigrationCancelCommand implements Callable<Integer> {
    /** How long to wait for the engine to stop the copy and record the cancellation. */
    private static final Duration SETTLE = Duration.ofSeconds(15);

    @Mixin
    BranchArgs branch;

    @Parameters(index = "2", paramLabel = "UUID", description = "The migration to cancel.")
    String uuid;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MigrationClient client = branch.connect()) {
            Migration m = client.require(uuid);
            if (m.ended()) {
                throw new CommandFailure("migration " + uuid + " is already " + m.status() + ": there is nothing to cancel"
                        + (m.status().equals("complete") ? " (undo it with `" + branch.command("revert", uuid) + "`)" : ""));
            }
            client.alter(uuid, "CANCEL");
            Migration after = new MigrationWatch(client, spec.commandLine().getErr(), false, SETTLE).followQuietly(uuid);
            if (after.status().equals("cancelled")) {
                out.println("Migration " + uuid + " cancelled; " + m.table() + " is as it was.");
            } else if (after.ended()) {
                throw new CommandFailure("migration " + uuid + " ended " + after.status() + " before the cancel took effect");
            } else {
                out.println("Migration " + uuid + ": cancel requested; it is still " + after.status() + ". Follow it with `"
                        + branch.command("show", uuid) + "`.");
            }
            out.flush();
            return 0;
        }
    }
}

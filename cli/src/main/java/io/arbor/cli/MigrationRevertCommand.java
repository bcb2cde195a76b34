package io.arbor.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code arbor migration revert DATABASE BRANCH UUID}: {@code REVERT VITESS_MIGRATION 'uuid'}, which starts a
 * migration of its own (printed alone on standard output, for scripts) that puts the table back as it was, with
 * the rows written since.
 */
@Command(name = "revert", mixinStandardHelpOptions = true,
        description = {"Undo a completed migration without losing the rows written since: starts a revert migration and"
                + " prints its uuid."},
        footer = {"", MigrationCommand.EXIT_CODES})
final class MigrationRevertCommand implements Callable<Integer> {
    @Mixin
    BranchArgs branch;

    @Parameters(index = "2", paramLabel = "UUID", description = "The completed migration to undo.")
    String uuid;

    @Option(names = "--wait", description = "Follow the revert with a progress bar until it ends; exit status 1 unless it completes.")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "0", converter = UpCommand.DurationConverter.class,
            description = "With --wait: give up after this long (e.g. 10m), exit status 1; 0 = never (default).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (MigrationClient client = branch.connect()) {
            Migration m = client.require(uuid);
            if (!m.status().equals("complete")) {
                throw new CommandFailure("migration " + uuid + " is " + MigrationView.statusText(m)
                        + ": only a complete migration can be reverted" + (m.ended() ? "" : " (stop it with `"
                        + branch.command("cancel", uuid) + "`)"));
            }
            String revert = client.revert(uuid);
            out.println(revert);
            out.flush();
            if (!wait) {
                err.println("Reverting migration " + uuid + " as migration " + revert + ". Follow it with `"
                        + branch.command("show", revert) + "`.");
                err.flush();
                return 0;
            }
            Migration after = new MigrationWatch(client, err, true, timeout).follow(revert, MigrationWatch.Until.ENDED);
            err.println(MigrationWatch.outcome(after));
            err.flush();
            return after.status().equals("complete") ? 0 : CommandFailure.FAILED;
        }
    }
}

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

/** {@code arbor migration complete DATABASE BRANCH UUID}: {@code ALTER VITESS_MIGRATION 'uuid' COMPLETE}. */
@Command(name = "complete", mixinStandardHelpOptions = true,
        description = {"Let a migration whose completion was postponed (ddl_strategy 'vitess --postpone-completion') cut over:"
                + " at once when it is ready to complete, else as soon as its copy has caught up."},
        footer = {"", MigrationCommand.EXIT_CODES})
final class MigrationCompleteCommand implements Callable<Integer> {
    @Mixin
    BranchArgs branch;

    @Parameters(index = "2", paramLabel = "UUID", description = "The migration to complete.")
    String uuid;

    @Option(names = "--wait", description = "Follow it with a progress bar until it ends; exit status 1 unless it completes.")
    boolean wait;

    @Option(names = "--timeout", defaultValue = "0", converter = UpCommand.DurationConverter.class,
            description = "With --wait: give up after this long (e.g. 10m), exit status 1; 0 = never (default).")
    Duration timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (MigrationClient client = branch.connect()) {
            Migration m = client.require(uuid);
            if (m.ended()) {
                throw new CommandFailure("migration " + uuid + " is already " + m.status() + ": there is nothing to complete");
            }
            client.alter(uuid, "COMPLETE");
            if (!wait) {
                out.println("Migration " + uuid + ": completion requested; it cuts over once its copy has caught up. Follow it with `"
                        + branch.command("show", uuid) + "`.");
                out.flush();
                return 0;
            }
            Migration after = new MigrationWatch(client, spec.commandLine().getErr(), true, timeout)
                    .follow(uuid, MigrationWatch.Until.ENDED);
            out.println(MigrationWatch.outcome(after));
            out.flush();
            return after.status().equals("complete") ? 0 : CommandFailure.FAILED;
        }
    }
}

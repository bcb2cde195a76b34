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
 * {@code arbor migration show DATABASE BRANCH UUID}: one migration; while it runs, a live progress bar until it
 * ends (or waits for COMPLETE).
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show one migration. While it runs, follow it with a progress bar (rows copied, percent, ETA) until"
                + " it ends or waits for COMPLETE, then show it as it ended."},
        footer = {"", MigrationCommand.EXIT_CODES})
final class MigrationShowCommand implements Callable<Integer> {
    @Mixin
    BranchArgs branch;

    @Parameters(index = "2", paramLabel = "UUID", description = "The migration (the uuid its ALTER answered).")
    String uuid;

    @Option(names = "--wait", negatable = true,
            description = "Follow it until it ends, whatever its state (and through a postponed completion); --no-wait: show it"
                    + " as it is now. Default: follow while it runs (human format only).")
    Boolean wait;

    @Option(names = "--timeout", defaultValue = "0", converter = UpCommand.DurationConverter.class,
            description = "Give up following after this long (e.g. 10m), exit status 1; 0 = never (default).")
    Duration timeout;

    @Option(names = "--format", defaultValue = "human",
            description = "human or json (one object, a field per SHOW VITESS_MIGRATIONS column) (default: ${DEFAULT-VALUE}).")
    MigrationView.Format format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = format == MigrationView.Format.JSON;
        try (MigrationClient client = branch.connect()) {
            Migration m = client.require(uuid);
            boolean follow = wait != null ? wait
                    : !json && m.status().equals("running") && !MigrationWatch.waitingForComplete(m);
            if (follow) {
                m = new MigrationWatch(client, spec.commandLine().getErr(), !json, timeout).follow(uuid,
                        Boolean.TRUE.equals(wait) ? MigrationWatch.Until.ENDED : MigrationWatch.Until.ENDED_OR_WAITING_FOR_COMPLETE);
            }
            if (json) {
                out.println(MigrationView.json(m.fields()));
            } else {
                out.print(MigrationView.details(m));
                if (MigrationWatch.waitingForComplete(m)) {
                    out.println();
                    out.println("It is ready to complete and waits for: " + branch.command("complete", uuid));
                }
            }
            out.flush();
            // Followed to an end other than complete: a script waiting on it learns from the status.
            return follow && m.ended() && !m.status().equals("complete") ? CommandFailure.FAILED : 0;
        }
    }
}

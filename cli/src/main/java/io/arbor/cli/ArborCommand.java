package io.arbor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code arbor} command line. */
@Command(name = "arbor", mixinStandardHelpOptions = true, version = "arbor 0.1.0",
        description = "Arbor: a MySQL-compatible database platform.",
        subcommands = {UpCommand.class})
public final class ArborCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new ArborCommand());
        // A setting the operator got wrong (an unreadable certificate, say) is a message, not a stack trace.
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("arbor: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        System.exit(cli.execute(args));
    }
}

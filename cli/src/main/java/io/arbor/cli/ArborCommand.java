package io.arbor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code arbor} command line. */
@Command(name = "arbor", mixinStandardHelpOptions = true, version = "arbor 0.1.0",
        description = "Arbor: a MySQL-compatible database platform.",
        subcommands = {UpCommand.class, DatabaseCommand.class, BranchCommand.class, PasswordCommand.class,
                DeployRequestCommand.class, ShellCommand.class, MigrationCommand.class, VSchemaCommand.class,
                ShardCommand.class})
public final class ArborCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The command line as {@link #main} runs it, for tests that run commands in-process and read their output. */
    public static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The command line with its commands made by {@code factory}: tests give commands their seams (a fake launcher). */
    static CommandLine commandLine(CommandLine.IFactory factory) {
        CommandLine cli = new CommandLine(new ArborCommand(), factory);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // A setting the operator got wrong (an unreadable certificate, say) is a message, not a stack trace.
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CommandFailure f) {
                line.getErr().println("arbor: " + f.getMessage());
                line.getErr().flush();
                return f.exitCode();
            }
            if (e instanceof IllegalArgumentException) {
                line.getErr().println("arbor: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}

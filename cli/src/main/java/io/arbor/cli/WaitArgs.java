package io.arbor.cli;

import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code --wait} and its {@code --timeout}, as the commands that start something slow take them. */
final class WaitArgs {
    @Option(names = "--wait", description = "Wait until it is done (the command's description says what that is),"
            + " with progress on standard error.")
    boolean enabled;

    @Option(names = "--timeout", defaultValue = "30m", converter = UpCommand.DurationConverter.class, paramLabel = "DURATION",
            description = "How long --wait waits before it gives up, exit status 1 (e.g. 90s, 10m, 1h; default: ${DEFAULT-VALUE}).")
    Duration timeout;
}

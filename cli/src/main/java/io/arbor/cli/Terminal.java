package io.arbor.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;

/** What the CLI asks of the terminal it runs in: whether there is one, and progress bars that fit it. */
final class Terminal {
    /** How often a bar redraws on a terminal; elsewhere it prints a line every few seconds. */
    static final Duration REDRAW = Duration.ofMillis(500);

    private Terminal() {}

    /** Whether a person is at the keyboard and screen: a real terminal, not a pipe, a file or a test. */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try { // JDK 22+ returns a Console even when redirected; isTerminal() tells (not in release 21's API)
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * A bar counting rows of {@code max} (unknown: -1) on {@code err}: redrawn in place on a terminal, else a line per
     * redraw, so that logs and tests see it too.
     */
    static ProgressBarBuilder rowsBar(String task, long max, PrintWriter err) {
        boolean tty = interactive();
        ProgressBarBuilder builder = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(max > 0 ? max : -1)
                .setStyle(tty ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
                .setUnit(" rows", 1)
                .setUpdateIntervalMillis(tty ? (int) REDRAW.toMillis() : 2000);
        if (!tty) {
            builder.setConsumer(new DelegatingProgressBarConsumer(line -> {
                err.println(line);
                err.flush();
            }, 120));
        }
        return builder;
    }
}

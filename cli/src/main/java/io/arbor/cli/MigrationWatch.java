package io.arbor.cli;

import me.tongfei.progressbar.ProgressBar;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Follows one migration until it ends, polling {@code SHOW VITESS_MIGRATIONS LIKE 'uuid'} twice a second, with a
 * live progress bar (rows copied of the table's rows, percent, the engine's ETA) on the command's error stream, so
 * that its standard output stays what the command prints for scripts. On a terminal the bar redraws in place;
 * elsewhere (a pipe, a log, a test) it prints a line per redraw.
 */
final class MigrationWatch {
    static final Duration POLL = Duration.ofMillis(500);

    /** When to stop following. */
    enum Until {
        /** complete, failed or cancelled */
        ENDED,
        /** ended, or running with its completion postponed and ready to complete (it would wait for a person) */
        ENDED_OR_WAITING_FOR_COMPLETE
    }

    private final MigrationClient client;
    private final PrintWriter err;
    private final boolean bar;
    private final Duration timeout;
    /** The last poll's answer, read by the bar's own thread for its ETA. */
    private volatile Migration latest;

    /**
     * @param err     where the bar goes
     * @param bar     false: no bar (JSON output), just the polling
     * @param timeout give up after this long (zero: never)
     */
    MigrationWatch(MigrationClient client, PrintWriter err, boolean bar, Duration timeout) {
        this.client = client;
        this.err = err;
        this.bar = bar;
        this.timeout = timeout;
    }

    /** Polls until {@code until} holds and returns the migration as it was then. */
    Migration follow(String uuid, Until until) {
        long deadline = timeout.isZero() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Migration m = client.require(uuid);
        ProgressBar progress = null;
        try {
            while (!done(m, until)) {
                if (bar && progress == null) {
                    progress = open(m);
                }
                if (progress != null) {
                    show(progress, m);
                }
                if (System.nanoTime() > deadline) {
                    throw new CommandFailure("gave up waiting after " + MigrationView.duration(timeout.toSeconds())
                            + " (--timeout): migration " + uuid + " is " + MigrationView.statusText(m) + " at "
                            + MigrationView.percent(m.progress()));
                }
                sleep();
                m = client.find(uuid).orElseThrow(() -> new CommandFailure("migration " + uuid + " is gone from "
                        + client.where() + " while it was followed"));
            }
            if (progress != null) {
                show(progress, m);
            }
            return m;
        } finally {
            if (progress != null) {
                progress.close();
                err.flush();
            }
        }
    }

    /** Polls, without a bar, until the migration ends or the timeout passes; returns it as it was last seen. */
    Migration followQuietly(String uuid) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Migration m = client.require(uuid);
        while (!m.ended() && System.nanoTime() < deadline) {
            sleep();
            m = client.require(uuid);
        }
        return m;
    }

    /** One line on how a migration ended, for after the bar. */
    static String outcome(Migration m) {
        String took = seconds(m.text("started_timestamp"), m.text("completed_timestamp"))
                .map(s -> " in " + MigrationView.duration(s)).orElse("");
        return switch (m.status()) {
            case "complete" -> String.format(Locale.ROOT, "Migration %s complete%s (%,d rows copied).",
                    m.uuid(), took, m.rowsCopied());
            case "running" -> "Migration " + m.uuid() + " is ready to complete: it waits for `arbor migration complete`.";
            default -> "Migration " + m.uuid() + " " + m.status() + took
                    + (m.text("message") == null || m.text("message").isBlank() ? "." : ": " + m.text("message"));
        };
    }

    private static boolean done(Migration m, Until until) {
        return m.ended() || (until == Until.ENDED_OR_WAITING_FOR_COMPLETE && waitingForComplete(m));
    }

    /** Running, caught up, and waiting for a person's COMPLETE. */
    static boolean waitingForComplete(Migration m) {
        return m.status().equals("running") && m.readyToComplete() && m.postponed();
    }

    private ProgressBar open(Migration m) {
        return Terminal.rowsBar(m.table() == null ? m.uuid() : m.table(), m.tableRows(), err)
                .showSpeed()
                .setEtaFunction(state -> eta(latest))
                .build();
    }

    private void show(ProgressBar progress, Migration m) {
        latest = m;
        // table_rows is an estimate taken when the copy began: the copy may pass it.
        long max = Math.max(m.tableRows(), m.rowsCopied());
        if (max > 0 && max != progress.getMax()) {
            progress.maxHint(max);
        }
        progress.stepTo(m.rowsCopied());
        progress.setExtraMessage(" " + MigrationView.statusText(m));
    }

    /** The engine's estimate, which knows the copy's and the binlog's pace better than the bar's own average. */
    private static Optional<Duration> eta(Migration m) {
        return m != null && m.status().equals("running") && !m.readyToComplete() && m.etaSeconds() >= 0
                ? Optional.of(Duration.ofSeconds(m.etaSeconds())) : Optional.empty();
    }

    /** Seconds between two {@code SHOW VITESS_MIGRATIONS} timestamps (both in the server's zone). */
    static Optional<Long> seconds(String from, String to) {
        if (from == null || to == null || from.isBlank() || to.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.between(LocalDateTime.parse(from.trim().replace(' ', 'T')),
                    LocalDateTime.parse(to.trim().replace(' ', 'T'))).toSeconds());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure("interrupted while waiting");
        }
    }
}

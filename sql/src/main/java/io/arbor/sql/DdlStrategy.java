package io.arbor.sql;

import java.time.Duration;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A session's {@code @@ddl_strategy}, in Vitess's syntax: a strategy name and its flags, e.g.
 * {@code vitess --postpone-completion --cut-over-threshold=5s}. {@link #parse} refuses what it does not know, so a
 * typo never silently runs a schema change the blocking way.
 *
 * @param strategy            {@code vitess} (online: shadow table, row copy and binlog follow, cut-over), {@code mysql}
 *                            (scheduled and tracked, run by MariaDB itself) or {@code direct} (run as sent)
 * @param postponeCompletion  wait at ready-to-complete for {@code ALTER VITESS_MIGRATION ... COMPLETE}
 * @param allowConcurrent     may run next to other migrations (of other tables)
 * @param preferInstantDdl    run as {@code ALGORITHM=INSTANT} where MariaDB can (not revertible)
 * @param cutOverThreshold    the backlog under which cut-over is tried, and how long its lock may be waited for
 * @param forceCutOverAfter   after this long trying, kill what blocks the cut-over (null: never)
 * @param retainArtifacts     how long the old table and other artifacts are kept (null: the default)
 * @param text                the value as set, for {@code SELECT @@ddl_strategy} and a migration's {@code options}
 */
public record DdlStrategy(String strategy, boolean postponeCompletion, boolean allowConcurrent, boolean preferInstantDdl,
                          Duration cutOverThreshold, Duration forceCutOverAfter, Duration retainArtifacts, String text) {
    /** Today's behaviour: DDL runs as sent. */
    public static final DdlStrategy DIRECT = new DdlStrategy("direct", false, false, false, null, null, null, "direct");
    /** Vitess's default cut-over threshold is 10 s; Arbor keeps the stall its lock can cause far shorter. */
    public static final Duration DEFAULT_CUT_OVER_THRESHOLD = Duration.ofSeconds(2);
    /** How long artifacts (old tables, dropped tables) stay, as Vitess's default. */
    public static final Duration DEFAULT_RETAIN_ARTIFACTS = Duration.ofHours(24);

    /** Checks. */
    public DdlStrategy {
        requireNonNull(strategy, "strategy is null");
        requireNonNull(text, "text is null");
    }

    /** Whether schema changes are scheduled and tracked as migrations (not run as sent). */
    public boolean managed() {
        return !strategy.equals("direct");
    }

    /** Whether ALTERs run the online way (shadow table and row stream). */
    public boolean online() {
        return strategy.equals("vitess");
    }

    /** The cut-over threshold, or the default. */
    public Duration cutOverThresholdOrDefault() {
        return cutOverThreshold != null ? cutOverThreshold : DEFAULT_CUT_OVER_THRESHOLD;
    }

    /** The retention, or the default. */
    public Duration retainArtifactsOrDefault() {
        return retainArtifacts != null ? retainArtifacts : DEFAULT_RETAIN_ARTIFACTS;
    }

    /** The flags alone, as a migration's {@code options} column shows them. */
    public String options() {
        int space = text.indexOf(' ');
        return space < 0 ? "" : text.substring(space + 1).trim();
    }

    /**
     * Reads a value; throws {@link IllegalArgumentException} with the reason (the caller raises 1231) for an unknown
     * strategy, an unknown flag or a malformed duration. An empty value means {@code direct}.
     */
    public static DdlStrategy parse(String value) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            return DIRECT;
        }
        String[] words = v.split("\\s+");
        String name = words[0].toLowerCase(Locale.ROOT);
        String strategy = switch (name) {
            case "vitess", "online" -> "vitess";
            case "mysql" -> "mysql";
            case "direct" -> "direct";
            default -> throw new IllegalArgumentException("unknown strategy '" + words[0]
                    + "': use 'vitess' (alias 'online'), 'mysql' or 'direct'");
        };
        boolean postpone = false;
        boolean concurrent = false;
        boolean instant = false;
        Duration threshold = null;
        Duration force = null;
        Duration retain = null;
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            String flag = w;
            String arg = null;
            int eq = w.indexOf('=');
            if (eq > 0) {
                flag = w.substring(0, eq);
                arg = w.substring(eq + 1);
            }
            if (flag.startsWith("-") && !flag.startsWith("--")) {
                flag = "-" + flag; // Vitess accepts -flag as --flag
            }
            switch (flag) {
                case "--postpone-completion" -> postpone = noArgument(flag, arg);
                case "--allow-concurrent" -> concurrent = noArgument(flag, arg);
                case "--prefer-instant-ddl" -> instant = noArgument(flag, arg);
                case "--cut-over-threshold" -> threshold = duration(flag, arg);
                case "--force-cut-over-after" -> force = duration(flag, arg);
                case "--retain-artifacts" -> retain = duration(flag, arg);
                default -> throw new IllegalArgumentException("unknown flag '" + w + "' for strategy '" + name
                        + "': known are --postpone-completion, --allow-concurrent, --prefer-instant-ddl, "
                        + "--cut-over-threshold=<duration>, --force-cut-over-after=<duration>, --retain-artifacts=<duration>");
            }
        }
        if (!strategy.equals("vitess") && (threshold != null || force != null)) {
            throw new IllegalArgumentException("--cut-over-threshold and --force-cut-over-after apply to the 'vitess' strategy only");
        }
        return new DdlStrategy(strategy, postpone, concurrent, instant, threshold, force, retain, String.join(" ", words));
    }

    private static boolean noArgument(String flag, String arg) {
        if (arg != null) {
            throw new IllegalArgumentException("flag " + flag + " takes no value");
        }
        return true;
    }

    /** Go-style durations, as Vitess takes them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1h30m}. */
    public static Duration duration(String flag, String arg) {
        if (arg == null || arg.isEmpty()) {
            throw new IllegalArgumentException("flag " + flag + " needs a duration, e.g. " + flag + "=10s");
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(arg);
        Duration d = Duration.ZERO;
        int at = 0;
        while (m.find() && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
            at = m.end();
        }
        if (at != arg.length() || at == 0) {
            throw new IllegalArgumentException("flag " + flag + ": '" + arg + "' is not a duration (e.g. 500ms, 10s, 5m, 1h)");
        }
        return d;
    }
}

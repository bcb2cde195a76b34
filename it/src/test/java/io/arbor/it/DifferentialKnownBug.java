package io.arbor.it;

import static java.util.Objects.requireNonNull;

import io.arbor.it.DifferentialAnswer.Protocol;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code -- @gateway-bug(ITEMS) WHAT} line of the differential corpus: a statement Arbor is known to answer
 * differently from MariaDB, reported rather than failed until fixed (then the line must go). Each item of the optional
 * list is a protocol ({@code text}, {@code binary}, {@code parameterized}) or a {@link DifferentialTarget}'s name
 * ({@code gateway}, {@code sharded4}); no protocol named means all of them, no target named means every target.
 *
 * @param what      the defect, as the line names it
 * @param protocols the protocols it shows under
 * @param targets   the targets it shows on; empty for all
 */
record DifferentialKnownBug(String what, Set<Protocol> protocols, Set<String> targets) {
    /** Validates. */
    DifferentialKnownBug {
        requireNonNull(what, "what is null");
        protocols = Set.copyOf(protocols);
        targets = Set.copyOf(targets);
    }

    /** The marker of the text after {@code @gateway-bug}: {@code (text, sharded4) what it is}, or just {@code what}. */
    static DifferentialKnownBug parse(String rest) {
        String what = rest.strip();
        Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
        Set<String> targets = new TreeSet<>();
        if (what.startsWith("(")) {
            for (String item : what.substring(1, what.indexOf(')')).split(",")) {
                String name = item.strip().toUpperCase(Locale.ROOT);
                if (Arrays.stream(Protocol.values()).anyMatch(p -> p.name().equals(name))) {
                    protocols.add(Protocol.valueOf(name));
                } else {
                    targets.add(item.strip());
                }
            }
            what = what.substring(what.indexOf(')') + 1).strip();
        }
        return new DifferentialKnownBug(what, protocols.isEmpty() ? EnumSet.allOf(Protocol.class) : protocols, targets);
    }

    /** Whether it shows on {@code target} under {@code protocol}. */
    boolean holds(String target, Protocol protocol) {
        return protocols.contains(protocol) && (targets.isEmpty() || targets.contains(target));
    }
}

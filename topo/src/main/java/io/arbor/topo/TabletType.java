package io.arbor.topo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What a tablet serves, as Vitess names it: the {@code PRIMARY} takes writes; a {@code REPLICA} follows it and may be
 * promoted; an {@code RDONLY} follows it for analytics and backups and is never promoted. Written lowercase in the
 * topology ({@code "primary"}), as Vitess prints tablet types and as {@code USE db@replica} spells them.
 */
public enum TabletType {
    PRIMARY,
    REPLICA,
    RDONLY;

    /** {@code primary}, {@code replica}, {@code rdonly}. */
    @JsonValue
    public String lowercase() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type named {@code name} in any case; {@code master}, Vitess's name for the primary before 2021, is
     * accepted too, so that a Vitess user's habit or an old script is not refused.
     */
    @JsonCreator
    public static TabletType parse(String name) {
        requireNonNull(name, "name is null");
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.equals("MASTER")) {
            return PRIMARY;
        }
        for (TabletType t : values()) {
            if (t.name().equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tablet type '" + name + "' (expected primary, replica or rdonly)");
    }
}

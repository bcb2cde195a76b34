package io.arbor.gateway;

import io.arbor.topo.Credential;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * What a logged-in password may do, as the front door keeps it from login on: its role, and the branch whose
 * safe-migrations flag a schema change reads (from the latest topology, at the statement). Known at login, so no
 * statement looks the password up again; a password's role never changes (as on PlanetScale).
 *
 * @param role     what it may run ({@link RolePolicy})
 * @param database the database of its branch
 * @param branch   its branch
 */
record Access(Role role, String database, String branch) {
    /** Validates. */
    Access {
        requireNonNull(role, "role is null");
        requireNonNull(database, "database is null");
        requireNonNull(branch, "branch is null");
    }

    /** A credential's access: its role as the topology records it (an unknown role reads as the least, reader). */
    static Access of(Credential credential) {
        return new Access(Role.of(credential.info().role()), credential.database(), credential.branch());
    }

    /** PlanetScale's password roles: what each may read, write and change. */
    enum Role {
        /** Reads rows; writes none; no DDL. */
        READER(true, false),
        /** Writes rows (INSERT, UPDATE, DELETE, REPLACE, LOAD DATA, TRUNCATE); reads none; no DDL. */
        WRITER(false, true),
        /** Reads and writes rows; no DDL. */
        READWRITER(true, true),
        /** Everything the branch's account may, DDL included where the branch takes direct DDL. */
        ADMIN(true, true);

        private final boolean reads;
        private final boolean writes;

        Role(boolean reads, boolean writes) {
            this.reads = reads;
            this.writes = writes;
        }

        boolean reads() {
            return reads;
        }

        boolean writes() {
            return writes;
        }

        /** The role of {@code name} ({@code io.arbor.topo.PasswordInfo#ROLES}); fails closed to reader on others. */
        static Role of(String name) {
            return switch (name == null ? "" : name) {
                case "admin" -> ADMIN;
                case "readwriter" -> READWRITER;
                case "writer" -> WRITER;
                default -> READER;
            };
        }

        /** Its name as the control plane's API spells it. */
        String apiName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

package io.arbor.sql.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaMergeTest {
    private static final String TAIL = "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci";

    private static String table(String name, String... lines) {
        return "CREATE TABLE `" + name + "` (\n  " + String.join(",\n  ", lines) + TAIL;
    }

    private static Schema schema(String... tables) {
        return Schema.fromCreateTables(List.of(tables));
    }

    private static final String USERS = table("users", "`id` bigint(20) NOT NULL", "`email` varchar(255) DEFAULT NULL",
            "PRIMARY KEY (`id`)");
    private static final String ORDERS = table("orders", "`id` bigint(20) NOT NULL", "`total` int(11) DEFAULT NULL",
            "PRIMARY KEY (`id`)");

    @Test
    void unchangedProductionDeploysTheBranchDiff() {
        Schema base = schema(USERS, ORDERS);
        Schema branch = schema(table("users", "`id` bigint(20) NOT NULL", "`email` varchar(255) DEFAULT NULL",
                "`name` varchar(50) DEFAULT NULL", "PRIMARY KEY (`id`)"), ORDERS);
        SchemaMerge.Result r = SchemaMerge.merge(base, branch, base);
        assertThat(r.clean()).isTrue();
        assertThat(r.statements()).containsExactly("ALTER TABLE `users` ADD COLUMN `name` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci DEFAULT NULL");
        assertThat(r.merged()).isEqualTo(branch);
    }

    @Test
    void changesToDifferentTablesBothLand() {
        Schema base = schema(USERS, ORDERS);
        Schema branch = schema(table("users", "`id` bigint(20) NOT NULL", "`email` varchar(255) DEFAULT NULL",
                "`name` varchar(50) DEFAULT NULL", "PRIMARY KEY (`id`)"), ORDERS);
        String newOrders = table("orders", "`id` bigint(20) NOT NULL", "`total` bigint(20) DEFAULT NULL", "PRIMARY KEY (`id`)");
        Schema production = schema(USERS, newOrders);
        SchemaMerge.Result r = SchemaMerge.merge(base, branch, production);
        assertThat(r.conflicts()).isEmpty();
        assertThat(r.statements()).containsExactly("ALTER TABLE `users` ADD COLUMN `name` varchar(50) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci DEFAULT NULL");
        assertThat(r.merged().tables().get("orders").column("total").orElseThrow().type()).isEqualTo("bigint(20)");
        assertThat(r.merged().tables().get("users").column("name")).isPresent();
    }

    @Test
    void twoChangesToOneColumnConflictOnThatColumn() {
        Schema base = schema(USERS);
        Schema branch = schema(table("users", "`id` bigint(20) NOT NULL", "`email` varchar(100) DEFAULT NULL", "PRIMARY KEY (`id`)"));
        Schema production = schema(table("users", "`id` bigint(20) NOT NULL", "`email` text DEFAULT NULL", "PRIMARY KEY (`id`)"));
        SchemaMerge.Result r = SchemaMerge.merge(base, branch, production);
        assertThat(r.clean()).isFalse();
        assertThat(r.statements()).isEmpty();
        assertThat(r.conflicts()).extracting(SchemaMerge.Conflict::table, SchemaMerge.Conflict::object)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("users", "column `email`"));
    }

    @Test
    void theSameChangeOnBothSidesIsNoConflictAndNothingToDeploy() {
        Schema base = schema(USERS);
        Schema changed = schema(table("users", "`id` bigint(20) NOT NULL", "`email` varchar(100) DEFAULT NULL", "PRIMARY KEY (`id`)"));
        SchemaMerge.Result r = SchemaMerge.merge(base, changed, changed);
        assertThat(r.clean()).isTrue();
        assertThat(r.statements()).isEmpty();
    }

    @Test
    void aTableDroppedInProductionThatTheBranchAltersConflicts() {
        Schema base = schema(USERS, ORDERS);
        Schema branch = schema(USERS, table("orders", "`id` bigint(20) NOT NULL", "`total` int(11) DEFAULT NULL",
                "`note` text DEFAULT NULL", "PRIMARY KEY (`id`)"));
        Schema production = schema(USERS);
        SchemaMerge.Result r = SchemaMerge.merge(base, branch, production);
        assertThat(r.clean()).isFalse();
        assertThat(r.conflicts()).extracting(SchemaMerge.Conflict::table).containsExactly("orders");
    }
}

package io.arbor.tablet;

import io.arbor.topo.MysqldAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccountsTest {
    private static final MysqldAccount ADMIN = new MysqldAccount("arbor", "s3cret'\\pw");

    @Test
    void aPlainBranchGetsAReadableTenantName() {
        assertThat(Accounts.tenantUser("app", "main")).isEqualTo("b_app_main");
        assertThat(Accounts.tenantUser("shop_2", "dev_1")).isEqualTo("b_shop_2_dev_1");
    }

    @ParameterizedTest
    @CsvSource({
            "app, add-index",
            "App, main",
            "a_very_long_database_name, and_a_long_branch",
            "'data`base', 'br anch'",
            "app, ünïcode"})
    void anIrregularOrLongBranchGetsAShortHashedName(String database, String branch) {
        String user = Accounts.tenantUser(database, branch);
        assertThat(user).matches("b_[a-z0-9_]+_[0-9a-f]{10}").hasSizeLessThanOrEqualTo(32);
        assertThat(Accounts.tenantUser(database, branch)).isEqualTo(user);
    }

    @Test
    void hashedNamesTellBranchesApartThatReadTheSame() {
        assertThat(Accounts.tenantUser("app", "add-index")).isNotEqualTo(Accounts.tenantUser("app", "add_index-"))
                .isNotEqualTo(Accounts.tenantUser("app", "add.index"));
    }

    @Test
    void theTenantPasswordIsDerivedFromTheAdminPasswordAndTheBranch() {
        MysqldAccount main = Accounts.tenant(ADMIN, "app", "main");
        assertThat(main.password()).matches("[0-9a-f]{32}").isNotEqualTo(ADMIN.password());
        assertThat(Accounts.tenant(ADMIN, "app", "main")).isEqualTo(main);
        assertThat(Accounts.tenant(ADMIN, "app", "dev").password()).isNotEqualTo(main.password());
        assertThat(Accounts.tenant(new MysqldAccount("arbor", "other"), "app", "main").password()).isNotEqualTo(main.password());
    }

    @Test
    void theTenantHasNoDatabaseLevelDropAndNothingGlobal() {
        String script = new Accounts(ADMIN, "app", "main").script();
        assertThat(script).contains("GRANT " + Accounts.TENANT_PRIVILEGES + " ON `app`.* TO 'b_app_main'@'localhost'");
        assertThat(Accounts.TENANT_PRIVILEGES.split(", ")).doesNotContain("DROP", "PROCESS", "FILE", "SUPER", "RELOAD",
                "CREATE ROUTINE", "ALTER ROUTINE", "TRIGGER", "EVENT", "EXECUTE", "GRANT OPTION", "CREATE USER");
        assertThat(script).doesNotContainPattern("TO 'b_app_main'@'[^']+' WITH GRANT OPTION")
                .doesNotContainPattern("ON \\*\\.\\* TO 'b_app_main'");
    }

    @Test
    void theScriptQuotesPasswordsAndDropsEveryOtherAccount() {
        String script = new Accounts(ADMIN, "app", "main").script();
        assertThat(script).contains("IDENTIFIED BY 's3cret\\'\\\\pw'")
                .contains("GRANT ALL PRIVILEGES ON *.* TO 'arbor'@'127.0.0.1' WITH GRANT OPTION")
                .contains("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'b_app_main'@'127.0.0.1'")
                .contains("ALTER USER IF EXISTS 'mariadb.sys'@'localhost' ACCOUNT LOCK")
                .contains("NOT ((User = 'arbor' AND Host IN ('localhost', '127.0.0.1')) OR (User = 'b_app_main'")
                .contains("CONCAT('DROP USER ', @arbor_users)");
        // The admin account comes first: the rest may run as it once root is gone.
        assertThat(script.indexOf("'arbor'@")).isLessThan(script.indexOf("DROP USER"));
    }

    @Test
    void dropGrantsAreTableLevelOnEveryHost() {
        Accounts accounts = new Accounts(ADMIN, "app", "main");
        assertThat(accounts.grantDrop("we`ird")).containsExactly(
                "GRANT DROP ON `app`.`we``ird` TO 'b_app_main'@'localhost'",
                "GRANT DROP ON `app`.`we``ird` TO 'b_app_main'@'127.0.0.1'");
        assertThat(accounts.grantCreateDrop("newt")).containsExactly(
                "GRANT CREATE, DROP ON `app`.`newt` TO 'b_app_main'@'localhost'",
                "GRANT CREATE, DROP ON `app`.`newt` TO 'b_app_main'@'127.0.0.1'");
        assertThatThrownBy(() -> accounts.grantDrop("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThat(accounts.missingDropGrants()).contains("t.TABLE_SCHEMA = 'app'", "p.User = 'b_app_main'", ") < 2");
    }
}

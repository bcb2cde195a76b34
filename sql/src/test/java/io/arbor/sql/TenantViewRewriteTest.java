package io.arbor.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rewrites that show a tenant its own view of the server: hidden paths and ports, its own process list. */
class TenantViewRewriteTest {
    private static String adapt(String sql) {
        return QueryRewriter.adapt(sql, null, LexMode.DEFAULT, 3306);
    }

    @Test
    void hiddenVariablesReadAsEmptyAndTheGatewaysPort() {
        assertThat(adapt("SELECT @@datadir")).isEqualTo("SELECT '' AS `@@datadir`");
        assertThat(adapt("SELECT @@port, @@GLOBAL.socket AS s, @@session.sql_mode"))
                .isEqualTo("SELECT 3306 AS `@@port`, '' AS s, @@session.sql_mode");
        assertThat(adapt("select @@secure_file_priv")).isEqualTo("select NULL AS `@@secure_file_priv`");
        assertThat(adapt("SELECT '@@datadir', `@@port` FROM t")).isEqualTo("SELECT '@@datadir', `@@port` FROM t");
        assertThat(adapt("SET @d = @@datadir")).isEqualTo("SET @d = ''");
        assertThat(adapt("SET @@port = 1")).isEqualTo("SET @@port = 1"); // a target: the server refuses it (read-only)
        assertThat(adapt("SELECT port FROM servers")).isSameAs("SELECT port FROM servers");
        assertThat(QueryRewriter.adapt("SELECT @@datadir", null, LexMode.DEFAULT, -1)).isEqualTo("SELECT @@datadir");
    }

    @Test
    void showVariablesReadsTheMaskedTable() {
        String sql = adapt("SHOW VARIABLES LIKE 'data%'");
        assertThat(sql).startsWith("SELECT * FROM (SELECT LOWER(VARIABLE_NAME) AS Variable_name, CASE VARIABLE_NAME")
                .contains("WHEN 'DATADIR' THEN ''").contains("WHEN 'PORT' THEN '3306'")
                .contains("FROM information_schema.SESSION_VARIABLES) AS v WHERE Variable_name LIKE 'data%' ORDER BY Variable_name");
        assertThat(adapt("show global variables where Value = 'ON'"))
                .contains("FROM information_schema.GLOBAL_VARIABLES) AS v WHERE Value = 'ON' ORDER BY Variable_name");
        assertThat(adapt("SHOW VARIABLES; SELECT 1")).endsWith("ORDER BY Variable_name; SELECT 1");
        assertThat(adapt("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'PORT'"))
                .startsWith("SELECT VARIABLE_VALUE FROM (SELECT VARIABLE_NAME, CASE VARIABLE_NAME")
                .endsWith("FROM information_schema.GLOBAL_VARIABLES) AS GLOBAL_VARIABLES WHERE VARIABLE_NAME = 'PORT'");
    }

    @Test
    void theProcessListIsTheGatewaysTable() {
        String table = ProcessList.table(List.of(
                new ProcessList.Row(7, "root", "127.0.0.1:5000", "app", "Query", 1500, "", "SELECT 'x'", "utf8mb4"),
                new ProcessList.Row(9, "root", "127.0.0.1:5001", null, "Sleep", 0, "", null, null)));
        assertThat(table).startsWith("(SELECT CAST(7 AS UNSIGNED) AS ID, CONVERT(X'726f6f74' USING utf8mb4) AS USER")
                .contains(" UNION ALL SELECT CAST(9 AS UNSIGNED) AS ID").contains("CAST(NULL AS CHAR) AS DB").endsWith(")");
        assertThat(ProcessList.rewrite("SHOW FULL PROCESSLIST", LexMode.DEFAULT, table))
                .isEqualTo("SELECT ID AS Id, USER AS User, HOST AS Host, DB AS db, COMMAND AS Command, TIME AS Time, "
                        + "STATE AS State, INFO AS Info, PROGRESS AS Progress FROM " + table + " AS p ORDER BY ID");
        assertThat(ProcessList.rewrite("select count(*) from information_schema.processlist where user = 'root'", LexMode.DEFAULT, "(T)"))
                .isEqualTo("select count(*) from (T) AS PROCESSLIST where user = 'root'");
        assertThat(ProcessList.rewrite("SELECT * FROM `information_schema`.`PROCESSLIST` p", LexMode.DEFAULT, "(T)"))
                .isEqualTo("SELECT * FROM (T) p");
        assertThat(ProcessList.table(List.of())).endsWith(" FROM DUAL WHERE 0)");
    }
}
